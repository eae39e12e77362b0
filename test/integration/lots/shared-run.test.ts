import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCgtLots, type EngineContext } from '../../../src-main/engine';
import { readAuditEntries } from '../../../src-main/engine/audit/audit-log';
import { ANCHOR_REF, readGitAnchors } from '../../../src-main/engine/audit/anchor/git-anchor';
import { testContext, testEngine } from '../../support/engine';
import { copyTemplate } from '../../support/templates';
import { tempDir } from '../../support/temp-dir';

// The lots of one `weir run` share what is the same for every lot (lots/run-lots.ts, beginLots):
// one preflight, one start of the audit trail, one git anchor for the whole run.
const LOTS = ['B0001', 'B0002', 'B0003', 'B0004'];
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });
const env = { PATH: process.env.PATH, HOME: tempDir('weir-lots-home-') };

let ws: string;
let file: string;

beforeAll(async () => {
  ws = copyTemplate('cgt-batch-release', { prefix: 'weir-lots-shared-' });
  file = join(ws, 'pipelines', 'release_by_lot.weir.json');
  await generateCgtLots({ outDir: join(ws, 'data', 'raw'), batches: LOTS.length, readingsPerBatch: 12 });
  writeFileSync(join(ws, '.gitignore'), '.weir/\ndata/\n');
  git(ws, 'init', '-q');
  git(ws, 'add', '.');
  git(ws, 'commit', '-qm', 'pipelines');
});

/** A context whose DuckDB factory counts its calls: one per session, one per whole-pipeline sandbox check. */
function counting(): { ctx: Partial<EngineContext>; calls: () => number } {
  const base = testContext();
  let n = 0;
  return { ctx: { duckdb: (allowed) => ((n += 1), base.duckdb(allowed)) }, calls: () => n };
}

describe('the lots of one run', () => {
  it('share one preflight and one git anchor; each lot keeps its own record, audit entry and publish', async () => {
    const { ctx, calls } = counting();
    const out = await testEngine(ctx).run({ file, lots: { partitions: 'all' } });
    expect(out.error?.message ?? null).toBeNull();
    expect(out.lots!.map((l) => [l.key, l.outcome])).toEqual(LOTS.map((l) => [l, 'succeeded']));
    // One session per lot and one whole-pipeline check of its SQL, not one per lot (that was 2 per lot).
    expect(calls()).toBe(LOTS.length + 1);
    const entries = await readAuditEntries(ws);
    const records = entries.filter((e) => (e.record as { format?: string } | undefined)?.format === 'weir.run');
    // Lots run two at a time by default, so their entries are in the order they finished.
    expect(records.map((e) => e.runId).sort()).toEqual(out.lots!.map((l) => l.runId).sort());
    // Every lot's record file is the one its audit entry vouches for.
    for (const lot of out.lots!) expect(JSON.parse(readFileSync(lot.recordPath!, 'utf8')).params.batch_id).toBe(lot.key);
    // One anchor for the run: the last lot's entry, whose head vouches for the lots before it.
    const { anchors } = await readGitAnchors(env, ws);
    expect(anchors.map((a) => a.seq)).toEqual([records.at(-1)!.seq]);
    expect(git(ws, 'rev-list', '--count', ANCHOR_REF).trim()).toBe('1');
    expect((await testEngine().audit.verifyAnchors(ws)).ok).toBe(true);
  });

  it('a lot that fails does not stop the lots after it, and the run still ends anchored', async () => {
    // B0002's batch record loses its columns: its run fails; B0003 and B0004 run and publish.
    writeFileSync(join(ws, 'data', 'raw', 'lots', 'B0002', 'batch.csv'), 'nonsense\n1\n');
    const out = await testEngine().run({ file, lots: { partitions: ['B0002', 'B0003', 'B0004'] } });
    expect(out.status).toBe('failed');
    expect(out.lots!.map((l) => [l.key, l.outcome])).toEqual([
      ['B0002', 'failed'],
      ['B0003', 'succeeded'],
      ['B0004', 'succeeded'],
    ]);
    expect(out.error?.message).toMatch(/^1 of 3 lot\(s\) failed: B0002 /);
    const { anchors } = await readGitAnchors(env, ws);
    const last = (await readAuditEntries(ws)).at(-1)!;
    expect(anchors.at(-1)!.seq).toBe(last.seq);
    expect(anchors).toHaveLength(2);
    expect((await testEngine().audit.verifyAnchors(ws)).ok).toBe(true);
  });
});
