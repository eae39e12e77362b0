import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertToSqlNode } from '../../../shared/nodes/lowcode';
import { PipelineInvalidError } from '../../../shared/errors';
import type { PipelineNode } from '../../../shared/pipeline/schema';
import type { NodeRecord } from '../../../shared/run/record';
import type { PipelineLineage } from '../../../shared/lineage';
import { parsePipeline } from '../../../shared/pipeline/parse';
import { runPipelineFile, testEngine } from '../../support/engine';
import { tempDir } from '../../support/temp-dir';

/**
 * The step kinds of issue #20 in a real run: the preflight's sandbox accepts the SQL they
 * generate (PIVOT with its values listed, UNPIVOT, COLUMNS with a pattern, hash-based samples),
 * each gives the rows worked out by hand, converting each to a SQL node gives the same output
 * hashes, and a hostile SQL fragment is refused before anything runs, naming the node and field.
 */
const step = (name: string, kind: string, input: string, config: Record<string, unknown>): PipelineNode => ({ id: `n_${name}`, name, kind, inputs: [input], config });

const STEPS: PipelineNode[] = [
  step('by_ph', 'sort', 'readings', { by: [{ column: 'ph', direction: 'desc' }, { column: 'note' }] }),
  step('top2', 'sample', 'readings', { rows: 2, order_by: [{ column: 'ph', direction: 'desc' }] }),
  step('some', 'sample', 'readings', { mode: 'random_rows', rows: 3, seed: 11 }),
  step('with_frac', 'compute_column', 'readings', { name: 'do_frac', expression: 'do_sat / 100' }),
  step('typed', 'cast_columns', 'readings', { columns: [{ name: 'do_sat', type: 'DOUBLE', rename: 'do_percent' }] }),
  step('wide', 'pivot', 'assays', { group_by: ['batch_id'], column: 'assay', values: ['ph', 'do'], fn: 'avg', value_column: 'value' }),
  step('long', 'unpivot', 'readings', { columns: ['ph', 'do_sat'], name_column: 'measure', value_column: 'reading' }),
  step('running', 'window', 'readings', { partition_by: ['batch_id'], order_by: [{ column: 't' }], functions: [{ fn: 'sum', column: 'do_sat', as: 'do_running' }] }),
  step('per_15min', 'time_bucket', 'readings', { time_column: 't', interval: '15 minutes', group_by: ['batch_id'], aggregates: [{ fn: 'avg', column: 'ph', as: 'ph' }] }),
  step('filled', 'fill_missing', 'readings', { columns: ['ph'], partition_by: ['batch_id'], order_by: [{ column: 't' }] }),
  step('wells', 'wide_to_long', 'plate', { pattern: '^[A-H][0-9]+$', name_column: 'well', value_column: 'od', value_type: 'DOUBLE' }),
];

const seed = (id: string, columns: [string, string][], rows: unknown[][]): PipelineNode => ({
  id,
  name: id,
  kind: 'seed',
  inputs: [],
  config: { columns: columns.map(([name, type]) => ({ name, type })), rows },
});

function pipeline(nodes: PipelineNode[]) {
  return {
    format: 'weir.pipeline',
    version: 1,
    name: 'steps_demo',
    nodes: [
      seed('readings', [['batch_id', 'VARCHAR'], ['t', 'TIMESTAMP'], ['ph', 'DOUBLE'], ['do_sat', 'INTEGER'], ['note', 'VARCHAR']], [
        ['B1', '2026-01-05 10:00:00', 7.0, 40, 'a'],
        ['B1', '2026-01-05 10:05:00', null, 41, 'b'],
        ['B1', '2026-01-05 10:20:00', 7.2, null, 'c'],
        ['B2', '2026-01-05 10:00:00', 6.8, 50, 'd'],
        ['B2', '2026-01-05 10:10:00', null, null, 'e'],
        ['B2', '2026-01-05 10:16:00', 7.1, 52, 'f'],
      ]),
      seed('assays', [['batch_id', 'VARCHAR'], ['assay', 'VARCHAR'], ['value', 'DOUBLE']], [
        ['B1', 'ph', 7.0],
        ['B1', 'do', 40],
        ['B1', 'ph', 7.4],
        ['B2', 'ph', 6.8],
      ]),
      seed('plate', [['plate', 'VARCHAR'], ['A1', 'DOUBLE'], ['A2', 'VARCHAR'], ['note', 'VARCHAR']], [
        ['P1', 1.5, '<0.5', 'ok'],
        ['P2', null, '2.25', 'rerun'],
      ]),
      ...nodes,
      ...STEPS.map((n) => ({ id: `out_${n.name}`, name: `out_${n.name}`, kind: 'file_sink', inputs: [n.id], config: { path: `out/${n.name}.csv`, format: 'csv' } })),
    ],
  };
}

function write(nodes: PipelineNode[]): { dir: string; file: string } {
  const dir = tempDir();
  mkdirSync(join(dir, 'out'));
  const file = join(dir, 'steps.weir.json');
  writeFileSync(file, JSON.stringify(pipeline(nodes), null, 2));
  return { dir, file };
}

const csv = (dir: string, name: string) => readFileSync(join(dir, 'out', `${name}.csv`), 'utf8').trim().split('\n');

/** As the file sink writes them: sorted by every column. */
const EXPECTED: Record<string, string[]> = {
  by_ph: ['batch_id,t,ph,do_sat,note', 'B1,2026-01-05 10:00:00,7.0,40,a', 'B1,2026-01-05 10:05:00,,41,b', 'B1,2026-01-05 10:20:00,7.2,,c', 'B2,2026-01-05 10:00:00,6.8,50,d', 'B2,2026-01-05 10:10:00,,,e', 'B2,2026-01-05 10:16:00,7.1,52,f'],
  top2: ['batch_id,t,ph,do_sat,note', 'B1,2026-01-05 10:20:00,7.2,,c', 'B2,2026-01-05 10:16:00,7.1,52,f'],
  with_frac: [
    'batch_id,t,ph,do_sat,note,do_frac',
    'B1,2026-01-05 10:00:00,7.0,40,a,0.4',
    'B1,2026-01-05 10:05:00,,41,b,0.41',
    'B1,2026-01-05 10:20:00,7.2,,c,',
    'B2,2026-01-05 10:00:00,6.8,50,d,0.5',
    'B2,2026-01-05 10:10:00,,,e,',
    'B2,2026-01-05 10:16:00,7.1,52,f,0.52',
  ],
  typed: ['batch_id,t,ph,do_percent,note', 'B1,2026-01-05 10:00:00,7.0,40.0,a', 'B1,2026-01-05 10:05:00,,41.0,b', 'B1,2026-01-05 10:20:00,7.2,,c', 'B2,2026-01-05 10:00:00,6.8,50.0,d', 'B2,2026-01-05 10:10:00,,,e', 'B2,2026-01-05 10:16:00,7.1,52.0,f'],
  wide: ['batch_id,ph,do', 'B1,7.2,40.0', 'B2,6.8,'],
  long: [
    'batch_id,t,note,measure,reading',
    'B1,2026-01-05 10:00:00,a,do_sat,40.0',
    'B1,2026-01-05 10:00:00,a,ph,7.0',
    'B1,2026-01-05 10:05:00,b,do_sat,41.0',
    'B1,2026-01-05 10:20:00,c,ph,7.2',
    'B2,2026-01-05 10:00:00,d,do_sat,50.0',
    'B2,2026-01-05 10:00:00,d,ph,6.8',
    'B2,2026-01-05 10:16:00,f,do_sat,52.0',
    'B2,2026-01-05 10:16:00,f,ph,7.1',
  ],
  running: [
    'batch_id,t,ph,do_sat,note,do_running',
    'B1,2026-01-05 10:00:00,7.0,40,a,40',
    'B1,2026-01-05 10:05:00,,41,b,81',
    'B1,2026-01-05 10:20:00,7.2,,c,81',
    'B2,2026-01-05 10:00:00,6.8,50,d,50',
    'B2,2026-01-05 10:10:00,,,e,50',
    'B2,2026-01-05 10:16:00,7.1,52,f,102',
  ],
  per_15min: ['batch_id,bucket,ph', 'B1,2026-01-05 10:00:00,7.0', 'B1,2026-01-05 10:15:00,7.2', 'B2,2026-01-05 10:00:00,6.8', 'B2,2026-01-05 10:15:00,7.1'],
  filled: ['batch_id,t,ph,do_sat,note', 'B1,2026-01-05 10:00:00,7.0,40,a', 'B1,2026-01-05 10:05:00,7.0,41,b', 'B1,2026-01-05 10:20:00,7.2,,c', 'B2,2026-01-05 10:00:00,6.8,50,d', 'B2,2026-01-05 10:10:00,6.8,,e', 'B2,2026-01-05 10:16:00,7.1,52,f'],
  wells: ['plate,note,well,od', 'P1,ok,A1,1.5', 'P2,rerun,A2,2.25'],
};

const byName = (nodes: NodeRecord[]) => new Map(nodes.map((n) => [n.name, n]));

describe('the step kinds in a run', () => {
  const first = write(STEPS);
  const firstRun = runPipelineFile({ file: first.file, useCache: false, recordDir: null, hashViews: true, hashTables: true });

  it('pass the sandbox and give the rows worked out by hand', async () => {
    const outcome = await firstRun;
    expect(outcome.error).toBeNull();
    expect(outcome.status).toBe('succeeded');
    const nodes = byName(outcome.record.nodes);
    for (const n of STEPS) {
      expect(nodes.get(n.name)?.status, n.name).toBe('done');
      if (EXPECTED[n.name]) expect(csv(first.dir, n.name), n.name).toEqual(EXPECTED[n.name]);
    }
    expect(csv(first.dir, 'some')).toHaveLength(4);
  });

  it('each converted to a SQL node gives identical output hashes', async () => {
    const names = new Map(pipeline([]).nodes.map((n) => [n.id, n.name]));
    const converted = STEPS.map((n) => convertToSqlNode(n, n.inputs.map((id) => names.get(id)!)));
    const second = write(converted);
    const [a, b] = [await firstRun, await runPipelineFile({ file: second.file, useCache: false, recordDir: null, hashViews: true, hashTables: true })];
    expect(b.status).toBe('succeeded');
    const before = byName(a.record.nodes);
    const after = byName(b.record.nodes);
    for (const n of STEPS) {
      expect(after.get(n.name)?.outputHash, n.name).toBeTruthy();
      expect(after.get(n.name)?.outputHash, n.name).toBe(before.get(n.name)?.outputHash);
    }
  });

  it('refuses an expression that would break out of its place, before anything runs', async () => {
    const hostile = [
      step('evil', 'compute_column', 'readings', { name: 'x', expression: "1) AS x FROM readings; COPY readings TO 'out/stolen.csv'; SELECT (1" }),
      step('evil_bucket', 'time_bucket', 'readings', { time_column: 't', interval: '1 hour', aggregates: [{ fn: 'expression', expression: "count(*) FROM read_text('/etc/passwd')) --", as: 'n' }] }),
    ];
    const { dir, file } = write([...STEPS, ...hostile]);
    const error = (await runPipelineFile({ file, useCache: false, recordDir: null }).then(
      () => null,
      (e: unknown) => e,
    )) as PipelineInvalidError | null;
    expect(error).toBeInstanceOf(PipelineInvalidError);
    expect(error!.message).toMatch(/^.*steps\.weir\.json: compute_column "evil", Expression: holds 3 statements; it must be exactly one expression/);
    const at = (i: number) => `nodes[${3 + STEPS.length + i}]`; // after the three seeds and the steps
    expect(error!.issues.map((x) => x.path)).toEqual([`${at(0)}.config.expression`, `${at(1)}.config.aggregates[0].expression`]);
    expect(error!.issues[1]!.message).toMatch(/^node "evil_bucket": /);
    expect(() => readFileSync(join(dir, 'out', 'stolen.csv'))).toThrow();
    expect(() => readFileSync(join(dir, 'out', 'by_ph.csv'))).toThrow();
  });

  it('have column lineage, the reshaping ones through an equivalent SELECT', async () => {
    const { file } = write(STEPS);
    const graph = await testEngine().lineage({ pipeline: parsePipeline(readFileSync(file, 'utf8')).pipeline, file });
    expect(shape(graph, 'with_frac').do_frac).toBe('readings.do_sat | ');
    expect(shape(graph, 'typed').do_percent).toBe('readings.do_sat | ');
    expect(shape(graph, 'running').do_running).toBe('readings.do_sat | readings.batch_id readings.note readings.ph readings.t');
    expect(shape(graph, 'per_15min')).toEqual({ batch_id: 'readings.batch_id | readings.t', bucket: 'readings.t | readings.batch_id', ph: 'readings.ph | readings.batch_id readings.t' });
    expect(shape(graph, 'filled').ph).toBe('readings.ph | readings.batch_id readings.do_sat readings.note readings.t');
    expect(shape(graph, 'wide')).toEqual({ batch_id: 'assays.batch_id | ', ph: 'assays.value | assays.assay assays.batch_id', do: 'assays.value | assays.assay assays.batch_id' });
    expect(shape(graph, 'long')).toMatchObject({ batch_id: 'readings.batch_id | ', measure: ' | ', reading: 'readings.do_sat readings.ph | ' });
    expect(shape(graph, 'wells').od).toMatch(/^ \|  \? .*pattern "\^\[A-H\]\[0-9\]\+\$"/);
  });
});

/** `column: direct | indirect ? unknown` of one node, refs as node.column, sorted. */
function shape(graph: PipelineLineage, node: string): Record<string, string> {
  const n = graph.nodes.find((x) => x.name === node)!;
  const list = (refs: { node: string; column: string }[]) => refs.map((r) => `${r.node}.${r.column}`).sort().join(' ');
  return Object.fromEntries(n.columns.map((c) => [c.name, `${list(c.direct)} | ${list(c.indirect)}${c.unknown.length ? ` ? ${c.unknown.join('; ')}` : ''}`]));
}
