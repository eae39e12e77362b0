import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCgtLots, writeLateResults, type RunOutcome } from '../../../src-main/engine';
import { testEngine } from '../../support/engine';
import { treeHashes } from '../../support/find-files';
import { copyTemplate } from '../../support/templates';
import { tempDir } from '../../support/temp-dir';

const PIPELINE = 'pipelines/release_by_lot.weir.json';
const LOTS = ['B0001', 'B0002', 'B0003', 'B0004', 'B0005', 'B0006', 'B0007'];

let ws: string;
let file: string;
let db: DuckDBInstance;
let conn: DuckDBConnection;

const run = (extra: Record<string, unknown> = {}): Promise<RunOutcome> => testEngine().run({ file, ...extra });
const listing = () => testEngine().partitions({ file });
const states = async () => Object.fromEntries((await listing()).partitions.map((p) => [p.key, p.state]));
const lotOutput = (lot: string) => join(ws, 'data', 'curated', 'lots', `batch_id=${lot}`);

async function release(lot: string): Promise<Record<string, unknown>[]> {
  const path = join(lotOutput(lot), 'batch_release.parquet').replace(/'/g, "''");
  return (await conn.runAndReadAll(`SELECT batch_id, release_status, failing_assays FROM read_parquet('${path}')`)).getRowObjectsJS() as Record<string, unknown>[];
}

beforeAll(async () => {
  ws = copyTemplate('cgt-batch-release', { prefix: 'weir-lots-template-' });
  file = join(ws, PIPELINE);
  // Seven lots (B0007 fails release on viability, by the generator's fixed pattern), few readings each.
  await generateCgtLots({ outDir: join(ws, 'data', 'raw'), batches: LOTS.length, readingsPerBatch: 12 });
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
});
afterAll(() => {
  conn?.closeSync();
  db?.closeSync();
});

describe('the batch-release template, partitioned by batch_id', () => {
  it('runs every new lot as its own run, publishing one folder per lot, and then has nothing to do', async () => {
    expect(await states()).toEqual(Object.fromEntries(LOTS.map((l) => [l, 'new'])));
    const first = await run();
    expect(first.error?.message ?? null).toBeNull();
    expect(first.lots!.map((l) => [l.key, l.outcome])).toEqual(LOTS.map((l) => [l, 'succeeded']));
    // Each lot is its own run, with its own record naming the lot's value as the key parameter.
    expect(new Set(first.lots!.map((l) => l.runId)).size).toBe(LOTS.length);
    const record = JSON.parse(readFileSync(first.lots![2]!.recordPath!, 'utf8')) as { params: Record<string, unknown>; status: string; lot?: unknown };
    expect(record.params.batch_id).toBe('B0003');
    // The record names its lot, by which release states and evidence packages find it (docs/gxp.md).
    expect(record.lot).toEqual({ key: 'batch_id', value: 'B0003' });
    expect(record.status).toBe('succeeded');
    expect(await release('B0003')).toEqual([{ batch_id: 'B0003', release_status: 'RELEASED', failing_assays: null }]);
    expect(await release('B0007')).toEqual([{ batch_id: 'B0007', release_status: 'REJECTED', failing_assays: 'viability (out of spec)' }]);
    const listed = await listing();
    expect(listed.key).toBe('batch_id');
    for (const p of listed.partitions) {
      const lot = first.lots!.find((l) => l.key === p.key)!;
      expect(p).toMatchObject({ state: 'up_to_date', runId: lot.runId, fingerprint: lot.fingerprint });
      expect(p.at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    }
    const again = await run();
    expect(again.status).toBe('succeeded');
    expect(again.lots).toEqual([]);
  });

  it('re-runs exactly the lot a late result arrived for, reading only its inputs', async () => {
    const before = treeHashes(join(ws, 'data', 'curated'));
    await writeLateResults(join(ws, 'data', 'raw'), ['B0003']);
    expect(await states()).toEqual({ ...Object.fromEntries(LOTS.map((l) => [l, 'up_to_date'])), B0003: 'changed' });
    const late = await run();
    expect(late.error?.message ?? null).toBeNull();
    expect(late.lots!.map((l) => l.key)).toEqual(['B0003']);
    const rel = (uri: string) => uri.slice(`file://${ws}/`.length);
    expect(late.lots![0]!.inputs.map(rel).sort()).toEqual([
      'data/raw/lots/B0003/assays.csv',
      'data/raw/lots/B0003/assays_late.csv',
      'data/raw/lots/B0003/batch.csv',
      'data/raw/lots/B0003/bioreactor.parquet',
      'data/raw/specs.csv',
    ]);
    // The run record says the same: no other lot's file was read.
    const record = readFileSync(late.lots![0]!.recordPath!, 'utf8');
    for (const other of LOTS.filter((l) => l !== 'B0003')) expect(record).not.toContain(`/lots/${other}/`);
    expect(await release('B0003')).toEqual([{ batch_id: 'B0003', release_status: 'REJECTED', failing_assays: 'endotoxin (out of spec)' }]);
    // Only that lot's folder changed.
    const after = treeHashes(join(ws, 'data', 'curated'));
    for (const [path, hash] of Object.entries(after)) {
      if (!path.startsWith('lots/batch_id=B0003/')) expect(hash, path).toBe(before[path]);
    }
    expect(await states()).toEqual(Object.fromEntries(LOTS.map((l) => [l, 'up_to_date'])));
  });

  it('a lot failing a blocking check publishes nothing and is reported by key; the other lots publish', async () => {
    // B0005: a second result for an existing sample id (the unique check on sample_id is an error).
    const assays = readFileSync(join(ws, 'data/raw/lots/B0005/assays.csv'), 'utf8').trim().split('\n');
    writeFileSync(join(ws, 'data/raw/lots/B0005/assays_retest.csv'), `${assays[0]}\n${assays[1]!.replace(/,[^,]*,([^,]*),([^,]*)$/, ',99.9,$1,$2')}\n`);
    await writeLateResults(join(ws, 'data', 'raw'), ['B0006']);
    const before = treeHashes(lotOutput('B0005'));
    const out = await run();
    expect(out.status).toBe('failed');
    expect(out.lots!.map((l) => [l.key, l.outcome])).toEqual([
      ['B0005', 'failed'],
      ['B0006', 'succeeded'],
    ]);
    expect(out.error?.message).toMatch(/^1 of 2 lot\(s\) failed: B0005 \(.*unique/);
    expect(treeHashes(lotOutput('B0005'))).toEqual(before);
    expect(await release('B0006')).toEqual([{ batch_id: 'B0006', release_status: 'REJECTED', failing_assays: 'endotoxin (out of spec)' }]);
    const listed = await listing();
    const b5 = listed.partitions.find((p) => p.key === 'B0005')!;
    expect(b5.state).toBe('failed');
    expect(b5.runId).toBe(out.lots![0]!.runId);
    expect((await states()).B0006).toBe('up_to_date');
    // A failed lot is tried again by the next run (its state was never marked done).
    const retry = await run({ lots: { partitions: 'changed' } });
    expect(retry.lots!.map((l) => l.key)).toEqual(['B0005']);
  });

  it('runs listed lots and one shard of them only', async () => {
    const listed = await run({ lots: { partitions: ['B0001', 'B0002'] } });
    expect(listed.lots!.map((l) => l.key)).toEqual(['B0001', 'B0002']);
    const { shardOf } = await import('../../../shared/pipeline/partitions');
    const shard = await run({ lots: { partitions: 'all', shard: { index: 1, count: 3 } } });
    expect(shard.lots!.map((l) => l.key)).toEqual(LOTS.filter((l) => shardOf(l, 3) === 1));
    await expect(run({ lots: { partitions: ['B0099'] } })).rejects.toThrow(/no lot "B0099"/);
  });

  it('keeps release states and evidence by lot, found by the lot value', async () => {
    const byLot = await testEngine().gxp.releaseStatus(ws, 'B0003');
    expect(byLot.length).toBeGreaterThan(0);
    expect(new Set(byLot.map((r) => r.key))).toEqual(new Set(['B0003']));
    expect(byLot.every((r) => r.state === 'pending')).toBe(true);
    const out = join(tempDir('weir-lots-evidence-'), 'B0003');
    const pack = await testEngine().audit.evidence({ workspaceRoot: ws, subject: 'B0003', out });
    expect(pack.subject).toEqual({ kind: 'lot', key: 'B0003' });
    expect(new Set(pack.runs)).toEqual(new Set(byLot.map((r) => r.runId)));
    // Not the partition key's name, nor another lot.
    await expect(testEngine().audit.evidence({ workspaceRoot: ws, subject: 'batch_id', out: `${out}-key` })).rejects.toThrow();
  });
});
