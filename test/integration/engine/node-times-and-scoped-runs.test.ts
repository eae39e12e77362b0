import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunRecord } from '../../../shared/run/formats';
import { runPipelineFile } from '../../support/engine';
import { tempDir } from '../../support/temp-dir';

/** raw → typed → total → out (a sink), typed → big; `bad` fails and `after_bad` is skipped. */
function setup(withFailure = false) {
  const dir = tempDir();
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data/a.csv'), 'id,v\n1,10\n2,20\n');
  const file = join(dir, 'p.weir.json');
  const nodes = [
    { id: 'raw', name: 'raw', kind: 'file_source', inputs: [], config: { path: 'data/*.csv', format: 'csv' } },
    { id: 'typed', name: 'typed', kind: 'sql', inputs: ['raw'], config: { sql: ['select id, v * 2 as v2 from raw'] } },
    { id: 'total', name: 'total', kind: 'sql', inputs: ['typed'], config: { sql: ['select sum(v2) as s from typed'] } },
    { id: 'big', name: 'big', kind: 'sql', inputs: ['typed'], config: { sql: ['select * from typed where v2 > 30'] } },
    { id: 'out', name: 'out', kind: 'file_sink', inputs: ['total'], config: { path: 'out/total.csv', format: 'csv' } },
    ...(withFailure
      ? [
          { id: 'bad', name: 'bad', kind: 'sql', inputs: ['raw'], config: { sql: ['select no_such_column from raw'] } },
          { id: 'after_bad', name: 'after_bad', kind: 'sql', inputs: ['bad'], config: { sql: ['select * from bad'] } },
        ]
      : []),
  ];
  writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes, layout: {} }));
  return { dir, file };
}

const ms = (iso: string | undefined) => Date.parse(iso ?? 'missing');

describe("each node's start and finish in the run record (version 3, for the timeline)", () => {
  it('every node that ran has both, inside the run, and starts after its inputs finished; a skipped node has neither', async () => {
    const { file } = setup(true);
    const r = await runPipelineFile({ file });
    expect(r.status).toBe('failed');
    const rec = r.record;
    expect(rec.version).toBe(3);
    const byId = new Map(rec.nodes.map((n) => [n.id, n]));
    const inputs: Record<string, string[]> = { typed: ['raw'], total: ['typed'], big: ['typed'], out: ['total'], bad: ['raw'] };
    for (const n of rec.nodes.filter((x) => x.status === 'done' || x.status === 'failed')) {
      expect(ms(n.startedAt), n.name).toBeGreaterThanOrEqual(ms(rec.startedAt));
      expect(ms(n.finishedAt), n.name).toBeGreaterThanOrEqual(ms(n.startedAt));
      expect(ms(n.finishedAt), n.name).toBeLessThanOrEqual(ms(rec.finishedAt));
      for (const up of inputs[n.id] ?? []) expect(ms(n.startedAt), `${n.name} after ${up}`).toBeGreaterThanOrEqual(ms(byId.get(up)!.finishedAt));
    }
    expect(byId.get('bad')).toMatchObject({ status: 'failed' });
    expect(byId.get('bad')!.finishedAt).toBeDefined();
    const skipped = byId.get('after_bad')!;
    expect(skipped.status).toBe('skipped');
    expect([skipped.startedAt, skipped.finishedAt]).toEqual([undefined, undefined]);
    // What each node read, as planned, for the timeline's critical path (every node, run or not).
    expect(Object.fromEntries(rec.nodes.map((n) => [n.id, n.upstream]))).toEqual({ raw: [], after_bad: ['bad'], ...inputs });
    // what was written is what the reader reads, as version 3
    expect(readRunRecord(JSON.parse(readFileSync(r.recordPath!, 'utf8'))).migratedFrom).toBeNull();
  });
});

describe('run from here / to here / this node: the selection, with the same cache', () => {
  it('from a mid node: it and its downstream run, what it reads comes from the cache, other branches are not run; the sink downstream publishes', async () => {
    const { dir, file } = setup();
    await runPipelineFile({ file });
    rmSync(join(dir, 'out'), { recursive: true });
    const from = await runPipelineFile({ file, select: 'total+' });
    expect(from.status).toBe('succeeded');
    expect(from.record.selection).toBe('total+');
    expect(from.record.nodes.map((n) => [n.name, n.cached])).toEqual([
      ['raw', true],
      ['typed', true],
      ['total', true],
      ['out', false],
    ]);
    expect(from.record.publishing?.published).toEqual(['out']);
    expect(readFileSync(join(dir, 'out/total.csv'), 'utf8')).toBe('s\n60\n');
  });

  it('to a mid node and this node alone never publish the sink after it', async () => {
    const { dir, file } = setup();
    await runPipelineFile({ file });
    rmSync(join(dir, 'out'), { recursive: true });
    const to = await runPipelineFile({ file, select: '+total' });
    expect(to.record.nodes.map((n) => n.name)).toEqual(['raw', 'typed', 'total']);
    expect(to.record.publishing).toBeUndefined();
    const one = await runPipelineFile({ file, select: 'big' });
    expect(one.record.nodes.map((n) => [n.name, n.status])).toEqual([
      ['raw', 'done'],
      ['typed', 'done'],
      ['big', 'done'],
    ]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
