import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import type { Pipeline } from '../../../shared/pipeline/schema';

/**
 * Git runs here with no global or system config (a developer's aliases, hooks or signing
 * must not change what the tests see) and a fixed identity unless a test removes it.
 */
export const isolatedGitEnv = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: undefined,
  GIT_AUTHOR_EMAIL: undefined,
  GIT_COMMITTER_NAME: undefined,
  GIT_COMMITTER_EMAIL: undefined,
  EMAIL: undefined,
};

export function isolateGit(): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(isolatedGitEnv)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A repository with a local identity (as a user who ran `git config user.name` would have). */
export function initRepo(dir: string, identity: { name: string; email: string } | null = { name: 'Ann Analyst', email: 'ann@example.com' }): void {
  sh(dir, 'init', '--quiet', '--initial-branch=main');
  if (identity) {
    sh(dir, 'config', 'user.name', identity.name);
    sh(dir, 'config', 'user.email', identity.email);
  }
}

export function writePipeline(file: string, p: Pipeline): string {
  mkdirSync(dirname(file), { recursive: true });
  const text = serializePipeline(p);
  writeFileSync(file, text);
  return text;
}

/** seeds → clean → summary → out: every node kind the merge test runs end to end. */
export function batchPipeline(): Pipeline {
  return {
    $schema: '../schema/weir.pipeline.v1.schema.json',
    format: 'weir.pipeline',
    version: 1,
    name: 'batch_release',
    description: 'Release summary per batch',
    params: { min_viability: { type: 'number', default: 0.7 } },
    nodes: [
      {
        id: 'n1',
        name: 'assays',
        kind: 'seed',
        inputs: [],
        config: {
          columns: [
            { name: 'batch_id', type: 'VARCHAR' },
            { name: 'viability', type: 'DOUBLE' },
            { name: 'cd3_pct', type: 'DOUBLE' },
          ],
          rows: [
            ['B0141', 0.91, 72.5],
            ['B0142', 0.65, 80.1],
            ['B0143', 0.88, 55.0],
          ],
        },
      },
      {
        id: 'n2',
        name: 'clean',
        kind: 'sql',
        inputs: ['n1'],
        config: {
          materialize: 'auto',
          sql: ['select', '  batch_id,', '  viability,', '  cd3_pct', 'from assays', 'where viability is not null'],
        },
      },
      {
        id: 'n3',
        name: 'summary',
        kind: 'sql',
        inputs: ['n2'],
        config: {
          materialize: 'auto',
          sql: [
            'select',
            '  batch_id,',
            "  viability >= getvariable('min_viability') as viable,",
            '  cd3_pct',
            'from clean',
            'order by batch_id',
          ],
        },
      },
      {
        id: 'n4',
        name: 'out',
        kind: 'file_sink',
        inputs: ['n3'],
        config: { path: 'out/summary.csv', format: 'csv', partition_by: [], order_by: ['batch_id'] },
      },
    ],
    layout: { n1: { x: 0, y: 0 }, n2: { x: 240, y: 0 }, n3: { x: 480, y: 0 }, n4: { x: 720, y: 0 } },
  };
}

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
