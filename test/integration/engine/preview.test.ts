import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WeirError } from '../../../shared/errors';
import { parsePipeline } from '../../../shared/pipeline/parse';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { describeInputs } from '../../../src-main/engine/run/input-schemas';
import { previewNode, profileNode, testContext } from '../../support/engine';
import { tempDir } from '../../support/temp-dir';

const dir = tempDir();
const file = join(dir, 'p.weir.json');
writeFileSync(file, '{}');

function pipeline(sql: string[]): Pipeline {
  const doc = {
    format: 'weir.pipeline',
    version: 1,
    name: 'p',
    params: { factor: { type: 'integer', default: 10 } },
    nodes: [
      {
        id: 'seed',
        name: 'lots',
        kind: 'seed',
        inputs: [],
        config: {
          columns: [
            { name: 'lot', type: 'VARCHAR' },
            { name: 'qty', type: 'INTEGER' },
            { name: 'made', type: 'DATE' },
          ],
          rows: [
            ['L1', 5, '2026-01-01'],
            ['', 7, '2026-01-03'],
            [null, null, null],
            ['L4', 9, '2026-02-01'],
          ],
        },
      },
      { id: 'calc', name: 'calc', kind: 'sql', inputs: ['seed'], config: { sql } },
      { id: 'sink', name: 'sink', kind: 'file_sink', inputs: ['calc'], config: { path: 'never/written.csv', format: 'csv' } },
    ],
    layout: {},
  };
  return parsePipeline(JSON.stringify(doc)).pipeline;
}

describe('preview', () => {
  it('shows the first rows with column types; NULL stays distinct from an empty string', async () => {
    const p = pipeline(['select lot, qty * getvariable(\'factor\') as q10, made', 'from lots']);
    const res = await previewNode({ pipeline: p, file, nodeId: 'calc', limit: 3 });
    expect(res.columns.map((c) => c.name)).toEqual(['lot', 'q10', 'made']);
    expect([res.columns[0]!.type, res.columns[2]!.type]).toEqual(['VARCHAR', 'DATE']);
    expect(res.rows).toHaveLength(3);
    expect(res.rows[1]![0]).toBe('');
    expect(res.rows[2]).toEqual([null, null, null]);
    expect(res.rows[0]![1]).toBe(50);
    expect(res.rowCount).toBeNull();
    const counted = await previewNode({ pipeline: p, file, nodeId: 'calc', limit: 3, count: true });
    expect(counted.rowCount).toBe(4);
  });

  it('a sink previews the rows it would write, and writes nothing', async () => {
    const p = pipeline(['select * from lots']);
    const res = await previewNode({ pipeline: p, file, nodeId: 'sink', limit: 100 });
    expect(res.rows).toHaveLength(4);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('a SQL error names the node, the line and the column', async () => {
    const p = pipeline(['select lot,', '  qtty', 'from lots']);
    const err = await previewNode({ pipeline: p, file, nodeId: 'calc' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeirError);
    expect((err as WeirError).message).toMatch(/^node "calc", line 2: Binder Error: Referenced column "qtty" not found/);
    expect((err as WeirError).details).toMatchObject({ nodeId: 'calc', line: 2, column: 3 });
  });
});

describe('profile and input schemas', () => {
  it('profiles each column: nulls, distinct, min, max and a histogram', async () => {
    const res = await profileNode({ pipeline: pipeline(['select * from lots']), file, nodeId: 'calc' });
    expect(res.rows).toBe(4);
    const byName = Object.fromEntries(res.columns.map((c) => [c.name, c]));
    expect(byName.qty).toMatchObject({ type: 'INTEGER', nulls: 1, distinct: 3, min: '5', max: '9' });
    expect(byName.qty!.histogram.reduce((s, b) => s + b.count, 0)).toBe(3);
    expect(byName.made).toMatchObject({ nulls: 1, min: '2026-01-01', max: '2026-02-01' });
    expect(byName.lot).toMatchObject({ nulls: 1, distinct: 3 });
    expect(byName.lot!.histogram.map((b) => b.label).sort()).toEqual(['', 'L1', 'L4']);
  });

  it('describes the inputs of a node for completion', async () => {
    const res = await describeInputs(testContext(), { pipeline: pipeline(['select 1']), file, nodeId: 'calc' });
    expect(res).toEqual([
      {
        nodeId: 'seed',
        name: 'lots',
        columns: [
          { name: 'lot', type: 'VARCHAR' },
          { name: 'qty', type: 'INTEGER' },
          { name: 'made', type: 'DATE' },
        ],
      },
    ]);
  });
});
