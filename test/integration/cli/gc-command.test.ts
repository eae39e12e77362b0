import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../src-main/cli/commands/gc';
import type { GcReport } from '../../../src-main/engine/gc/collect';
import { formatBytes, parseSize } from '../../../src-main/engine/gc/sizes';
import { newRunId } from '../../../src-main/engine/run/run-id';
import { runWeir } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

/** `weir gc`: its options, its one-line refusals, and what it prints. */

const gc = (args: string[], tmp?: string) => runWeir(['gc', ...args], { fromSource: true, ...(tmp ? { env: { TMPDIR: tmp } } : {}) });

/** A workspace whose file sink has the staging of a run with no marker, started two days ago. */
function workspaceWithLitter() {
  const ws = tempDir('weir-gc-cli-');
  mkdirSync(join(ws, 'pipelines'));
  mkdirSync(join(ws, 'out'));
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections: {} } } }));
  const nodes = [
    { id: 'rows', name: 'rows', kind: 'seed', inputs: [], config: { columns: [{ name: 'v', type: 'INTEGER' }], rows: [[1]] } },
    { id: 'a', name: 'a', kind: 'file_sink', inputs: ['rows'], config: { path: 'out/a.csv', format: 'csv' } },
  ];
  writeFileSync(join(ws, 'pipelines', 'p.weir.json'), JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', nodes }));
  const runId = newRunId(new Date(Date.now() - 48 * 3_600_000));
  const staged = join(ws, 'out', `.a.csv.weir-${runId}.tmp`);
  writeFileSync(staged, 'x'.repeat(2048));
  return { ws, runId, staged };
}

describe('weir gc', () => {
  it('lists in a dry run (what, how big, whose), removes without one, totals last; --json says the same', { timeout: 60_000 }, async () => {
    const { ws, runId, staged } = workspaceWithLitter();
    const tmp = tempDir('weir-gc-cli-tmp-');
    const dry = await gc(['--workspace', ws, '--dry-run'], tmp);
    expect(dry.code, dry.stderr).toBe(0);
    const lines = dry.stdout.trim().split('\n');
    expect(lines[0]).toBe(`would remove  file-sink staging    2.0 KiB  out/.a.csv.weir-${runId}.tmp  (run ${runId})`);
    expect(lines.at(-1)).toMatch(/^dry run: litter: 1 item, would free 2\.0 KiB; cache: 0 entries to evict \(0 B\), 0 B of 10\.0 GiB$/);
    expect(existsSync(staged)).toBe(true);

    const json = await gc(['--workspace', ws, '--json', '--cache-max-size', '1GB'], tmp);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as GcReport & { totals: Record<string, number> };
    expect(report).toMatchObject({ dryRun: false, environment: 'dev', cache: { maxBytes: 1024 ** 3 }, totals: { litterItems: 1, litterBytes: 2048, restored: 0, evictedEntries: 0 } });
    expect(report.items).toEqual([{ kind: 'file-staging', what: staged, bytes: 2048, action: 'remove', runId }]);
    expect(existsSync(staged)).toBe(false);
  });

  it('refuses a bad size, an unknown environment and stray arguments with one line, exit 2; answers --help', { timeout: 60_000 }, async () => {
    const { ws } = workspaceWithLitter();
    const size = await gc(['--workspace', ws, '--cache-max-size', 'lots']);
    expect(size.code).toBe(2);
    expect(size.stderr.split('\n')[0]).toBe('weir: --cache-max-size expects a size such as 10GB, 500M or 0, got "lots"');
    const env = await gc(['--workspace', ws, '--env', 'prod']);
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/^weir: no environment "prod" in .*weir\.workspace\.json \(environments: dev\)\n$/);
    const stray = await gc(['--workspace', ws, 'extra']);
    expect(stray.code).toBe(2);
    expect(stray.stderr.split('\n')[0]).toBe('weir: unexpected argument "extra"');
    const help = await gc(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: weir gc [--workspace DIR] [--env NAME] [--dry-run] [--json] [--cache-max-size SIZE]');
  });
});

describe('gc sizes and lines', () => {
  it('reads sizes in powers of 1024 and refuses what is not one', () => {
    expect(['10GB', '500M', '1.5 GiB', '0', '4096', '2k', 'lots', '-1', '1 PB'].map(parseSize)).toEqual([10 * 1024 ** 3, 500 * 1024 ** 2, 1.5 * 1024 ** 3, 0, 4096, 2048, null, null, null]);
    expect([0, 1023, 1024, 1536, 26 * 1024 ** 2, 117.4 * 1024 ** 2, 10 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '1023 B', '1.0 KiB', '1.5 KiB', '26.0 MiB', '117 MiB', '10.0 GiB']);
  });

  it('shows a restore with where it goes, paths relative to the workspace, lake objects by URI', () => {
    const report: GcReport = {
      environment: 'dev',
      dryRun: false,
      items: [
        { kind: 'swap-aside', what: '/ws/out/.parts.weir-R.tmp.old', bytes: 91 * 1024 ** 2, action: 'restore', runId: 'R', restoreTo: '/ws/out/parts' },
        { kind: 'lake-objects', what: 's3://lake/out/_runs/R/ (3 objects)', bytes: 49.5 * 1024 ** 2, action: 'remove', runId: 'R' },
        { kind: 'cache-entry', what: '/ws/.weir/cache/nodes/k.parquet', bytes: 2 * 1024 ** 3, action: 'evict' },
      ],
      notes: ['s3://lake/out/: the server cannot list unfinished multipart uploads'],
      kept: 2,
      cache: { maxBytes: 10 * 1024 ** 3, beforeBytes: 12 * 1024 ** 3, afterBytes: 10 * 1024 ** 3, keptRecent: 0 },
    };
    expect(formatReport(report, '/ws')).toEqual([
      'restored      set-aside folder   91.0 MiB  out/.parts.weir-R.tmp.old -> out/parts  (run R)',
      'removed       lake objects       49.5 MiB  s3://lake/out/_runs/R/ (3 objects)  (run R)',
      'evicted       cache entry         2.0 GiB  .weir/cache/nodes/k.parquet',
      'note: s3://lake/out/: the server cannot list unfinished multipart uploads',
      'litter: 1 item, freed 49.5 MiB; 1 previous output put back; cache: 1 entry evicted (2.0 GiB), 10.0 GiB of 10.0 GiB; 2 kept (their runs or processes may still be working)',
    ]);
  });
});
