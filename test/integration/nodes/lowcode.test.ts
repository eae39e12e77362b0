import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertToSqlNode, isLowCodeKind } from '../../../shared/nodes/lowcode';
import type { PipelineNode } from '../../../shared/pipeline/schema';
import type { NodeRecord } from '../../../shared/run/record';
import { runPipelineFile } from '../../support/engine';
import { tempDir } from '../../support/temp-dir';

const seed = (id: string, columns: [string, string][], rows: unknown[][]): PipelineNode => ({
  id,
  name: id,
  kind: 'seed',
  inputs: [],
  config: { columns: columns.map(([name, type]) => ({ name, type })), rows },
});

const lowCode = (name: string, kind: string, inputs: string[], config: Record<string, unknown>): PipelineNode => ({
  id: `n_${name}`,
  name,
  kind,
  inputs,
  config,
});

const LOW_CODE: PipelineNode[] = [
  lowCode('released', 'filter', ['batches'], { condition: 'viability_pct >= 70' }),
  lowCode('on_hold', 'filter', ['batches'], { condition: 'viability_pct >= 70', mode: 'drop' }),
  lowCode('tidy', 'select', ['batches'], {
    columns: [
      { name: 'batch_id', rename: 'batch' },
      { name: 'viability_pct', rename: 'viability', cast: 'DECIMAL(5, 1)' },
      { name: 'started', cast: 'VARCHAR' },
    ],
  }),
  lowCode('batch_assays', 'join', ['batches', 'assays'], { type: 'left', on: [{ left: 'batch_id', right: 'batch_id' }] }),
  lowCode('orphan_assays', 'join', ['assays', 'batches'], { type: 'anti', on: [{ left: 'batch_id', right: 'batch_id' }] }),
  // reads `released`, which therefore fans out and becomes a table
  lowCode('per_site', 'aggregate', ['n_released'], {
    group_by: ['site'],
    aggregates: [
      { fn: 'count', as: 'batches' },
      { fn: 'avg', column: 'viability_pct' },
      { fn: 'string_agg', column: 'batch_id' },
      { fn: 'first', column: 'batch_id', order_by: 'started' },
    ],
  }),
  lowCode('all_batches', 'union', ['batches', 'batches_2025'], { source_column: 'source' }),
  lowCode('latest_assay', 'deduplicate', ['assays'], { keys: ['batch_id', 'assay'], order_by: [{ column: 'measured_at', direction: 'desc' }] }),
];

function pipeline(nodes: PipelineNode[]) {
  return {
    format: 'weir.pipeline',
    version: 1,
    name: 'lowcode_demo',
    nodes: [
      seed('batches', [['batch_id', 'VARCHAR'], ['site', 'VARCHAR'], ['viability_pct', 'DOUBLE'], ['started', 'DATE']], [
        ['B0001', 'BOS', 91.5, '2026-01-05'],
        ['B0002', 'LEI', 68, '2026-01-06'],
        ['B0003', 'BOS', null, '2026-01-07'],
        ['B0004', 'LEI', 88, '2026-01-08'],
        ['B0005', 'BOS', 72.25, '2026-01-09'],
      ]),
      seed('assays', [['batch_id', 'VARCHAR'], ['assay', 'VARCHAR'], ['value', 'DOUBLE'], ['measured_at', 'TIMESTAMP']], [
        ['B0001', 'cd3_pct', 61, '2026-01-06 10:00:00'],
        ['B0001', 'cd3_pct', 63.5, '2026-01-07 09:00:00'],
        ['B0002', 'cd3_pct', 55, '2026-01-07 11:00:00'],
        ['B0004', 'endotoxin', 0.2, '2026-01-09 08:00:00'],
        ['B0004', 'endotoxin', 0.2, '2026-01-09 08:00:00'],
        ['B0009', 'cd3_pct', 70, '2026-01-10 08:00:00'],
      ]),
      seed('batches_2025', [['viability_pct', 'DOUBLE'], ['batch_id', 'VARCHAR'], ['operator', 'VARCHAR']], [[90, 'A0099', 'jdoe']]),
      ...nodes,
      ...LOW_CODE.map((n) => ({ id: `out_${n.name}`, name: `out_${n.name}`, kind: 'file_sink', inputs: [n.id], config: { path: `out/${n.name}.csv`, format: 'csv' } })),
    ],
  };
}

function write(nodes: PipelineNode[]): { dir: string; file: string } {
  const dir = tempDir();
  mkdirSync(join(dir, 'out'));
  const file = join(dir, 'lowcode.weir.json');
  writeFileSync(file, JSON.stringify(pipeline(nodes), null, 2));
  return { dir, file };
}

const csv = (dir: string, name: string) => readFileSync(join(dir, 'out', `${name}.csv`), 'utf8').trim().split('\n');

/** The expected rows, as the file sink writes them (sorted by every column). */
const EXPECTED: Record<string, string[]> = {
  released: ['batch_id,site,viability_pct,started', 'B0001,BOS,91.5,2026-01-05', 'B0004,LEI,88.0,2026-01-08', 'B0005,BOS,72.25,2026-01-09'],
  // drop keeps the rows where the condition is not true, NULL included
  on_hold: ['batch_id,site,viability_pct,started', 'B0002,LEI,68.0,2026-01-06', 'B0003,BOS,,2026-01-07'],
  tidy: ['batch,viability,started', 'B0001,91.5,2026-01-05', 'B0002,68.0,2026-01-06', 'B0003,,2026-01-07', 'B0004,88.0,2026-01-08', 'B0005,72.3,2026-01-09'],
  batch_assays: [
    'batch_id,site,viability_pct,started,assay,value,measured_at',
    'B0001,BOS,91.5,2026-01-05,cd3_pct,61.0,2026-01-06 10:00:00',
    'B0001,BOS,91.5,2026-01-05,cd3_pct,63.5,2026-01-07 09:00:00',
    'B0002,LEI,68.0,2026-01-06,cd3_pct,55.0,2026-01-07 11:00:00',
    'B0003,BOS,,2026-01-07,,,',
    'B0004,LEI,88.0,2026-01-08,endotoxin,0.2,2026-01-09 08:00:00',
    'B0004,LEI,88.0,2026-01-08,endotoxin,0.2,2026-01-09 08:00:00',
    'B0005,BOS,72.25,2026-01-09,,,',
  ],
  orphan_assays: ['batch_id,assay,value,measured_at', 'B0009,cd3_pct,70.0,2026-01-10 08:00:00'],
  per_site: ['site,batches,avg_viability_pct,string_agg_batch_id,first_batch_id', 'BOS,2,81.875,"B0001, B0005",B0001', 'LEI,1,88.0,B0004,B0004'],
  all_batches: [
    'source,batch_id,site,viability_pct,started,operator',
    'batches,B0001,BOS,91.5,2026-01-05,',
    'batches,B0002,LEI,68.0,2026-01-06,',
    'batches,B0003,BOS,,2026-01-07,',
    'batches,B0004,LEI,88.0,2026-01-08,',
    'batches,B0005,BOS,72.25,2026-01-09,',
    'batches_2025,A0099,,90.0,,jdoe',
  ],
  latest_assay: [
    'batch_id,assay,value,measured_at',
    'B0001,cd3_pct,63.5,2026-01-07 09:00:00',
    'B0002,cd3_pct,55.0,2026-01-07 11:00:00',
    'B0004,endotoxin,0.2,2026-01-09 08:00:00',
    'B0009,cd3_pct,70.0,2026-01-10 08:00:00',
  ],
};

const byName = (nodes: NodeRecord[]) => new Map(nodes.map((n) => [n.name, n]));

describe('low-code nodes in a run', () => {
  const first = write(LOW_CODE);
  const firstRun = runPipelineFile({ file: first.file, useCache: false, recordDir: null, hashViews: true, hashTables: true });

  it('every kind runs in DuckDB and gives the expected rows', async () => {
    const outcome = await firstRun;
    expect(outcome.error).toBeNull();
    expect(outcome.status).toBe('succeeded');
    const nodes = byName(outcome.record.nodes);
    for (const n of LOW_CODE) {
      expect(nodes.get(n.name)?.status, n.name).toBe('done');
      expect(csv(first.dir, n.name), n.name).toEqual(EXPECTED[n.name]);
      expect(nodes.get(n.name)?.rows, n.name).toBe(EXPECTED[n.name]!.length - 1);
    }
  });

  it('each node converted to a SQL node gives identical output hashes and files', async () => {
    const names = new Map([...pipeline([]).nodes, ...LOW_CODE].map((n) => [n.id, n.name]));
    const converted = LOW_CODE.map((n) => convertToSqlNode(n, n.inputs.map((id) => names.get(id)!)));
    expect(converted.map((n) => [n.id, n.name, n.kind])).toEqual(LOW_CODE.map((n) => [n.id, n.name, 'sql']));
    const second = write(converted);
    expect(JSON.parse(readFileSync(second.file, 'utf8')).nodes.filter((n: PipelineNode) => isLowCodeKind(n.kind))).toEqual([]);

    const [a, b] = [await firstRun, await runPipelineFile({ file: second.file, useCache: false, recordDir: null, hashViews: true, hashTables: true })];
    expect(b.status).toBe('succeeded');
    const before = byName(a.record.nodes);
    const after = byName(b.record.nodes);
    for (const n of LOW_CODE) {
      expect(after.get(n.name)?.outputHash, n.name).toBeTruthy();
      expect(after.get(n.name)?.outputHash, n.name).toBe(before.get(n.name)?.outputHash);
      expect(after.get(n.name)?.rows, n.name).toBe(before.get(n.name)?.rows);
      expect(readFileSync(join(second.dir, 'out', `${n.name}.csv`), 'utf8'), n.name).toBe(readFileSync(join(first.dir, 'out', `${n.name}.csv`), 'utf8'));
    }
  });

  it('a second run reuses the cached results of low-code nodes', async () => {
    const { file } = write(LOW_CODE);
    const one = await runPipelineFile({ file, recordDir: null, hashTables: true });
    const two = await runPipelineFile({ file, recordDir: null, hashTables: true });
    expect(one.status).toBe('succeeded');
    // `released` fans out, so it is a table, which the cache keeps
    expect(two.record.nodes.find((n) => n.name === 'released')?.cached).toBe(true);
    expect(two.record.nodes.find((n) => n.name === 'released')?.outputHash).toBe(one.record.nodes.find((n) => n.name === 'released')?.outputHash);
  });
});
