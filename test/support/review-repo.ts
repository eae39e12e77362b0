import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serializePipeline } from '../../shared/pipeline/canonical';
import type { Pipeline } from '../../shared/pipeline/schema';

/**
 * A git workspace for the designer's review tests (issue #16): a pipeline of batch yields
 * committed once, a base run recorded for its commit (so the review pins that run's inputs),
 * and a working copy that rounds the yields to whole percent and tightens the specification
 * limit from 60 to 60.5: `yields` is a breaking change (every value changes), B2's 60.44 now
 * rounds to 60 and newly fails `yield_in_spec`.
 */

export const REVIEW_FILE = 'pipelines/yields.weir.json';

const RAW: [string, number][] = [
  ['B1', 91.26],
  ['B2', 60.44],
  ['B3', 75.35],
  ['B4', 88.04],
  ['B5', 62.71],
];

export function reviewBase(): Pipeline {
  return {
    format: 'weir.pipeline',
    version: 1,
    name: 'yields',
    params: {},
    nodes: [
      { id: 'raw', name: 'raw', kind: 'seed', inputs: [], config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }, { name: 'yield', type: 'DOUBLE' }], rows: RAW } },
      { id: 'yields', name: 'yields', kind: 'sql', inputs: ['raw'], config: { materialize: 'auto', sql: ['select batch_id, round(yield, 1) as yield_pct', 'from raw'] } },
      {
        id: 'yields_checked',
        name: 'yields_checked',
        kind: 'check',
        inputs: ['yields'],
        config: {
          rules: [
            { type: 'unique', columns: ['batch_id'] },
            { type: 'range', name: 'yield_in_spec', column: 'yield_pct', min: 60 },
          ],
        },
      },
    ],
    layout: { raw: { x: 40, y: 40 }, yields: { x: 320, y: 40 }, yields_checked: { x: 600, y: 40 } },
  };
}

/** The change under review: whole-percent rounding and a tighter lower limit. */
export function reviewHead(): Pipeline {
  const p = structuredClone(reviewBase());
  p.nodes[1]!.config.sql = ['select batch_id, round(yield, 0) as yield_pct', 'from raw'];
  (p.nodes[2]!.config.rules as { min?: number }[])[1]!.min = 60.5;
  return p;
}

export const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();

/**
 * Fills `dir`: workspace file, the base pipeline committed, `runBase` (a run of the committed
 * file, recorded in the workspace), then the head written over it, uncommitted.
 */
export async function writeReviewRepo(dir: string, runBase: (file: string) => Promise<void>): Promise<void> {
  await mkdir(join(dir, 'pipelines'), { recursive: true });
  await writeFile(
    join(dir, 'weir.workspace.json'),
    JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }, null, 2),
  );
  await writeFile(join(dir, '.gitignore'), '.weir/\n');
  await writeFile(join(dir, REVIEW_FILE), serializePipeline(reviewBase()));
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'config', 'user.name', 'Ada Tester');
  git(dir, 'config', 'user.email', 'ada@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  git(dir, 'add', '--', '.gitignore', 'weir.workspace.json', REVIEW_FILE);
  git(dir, 'commit', '--quiet', '-m', 'Yields at one decimal, limit 60');
  await runBase(join(dir, REVIEW_FILE));
  await writeFile(join(dir, REVIEW_FILE), serializePipeline(reviewHead()));
}
