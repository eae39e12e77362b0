import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WeirError } from '../../../shared/errors';
import { parsePipeline } from '../../../shared/pipeline/parse';
import type { Pipeline } from '../../../shared/pipeline/schema';
import type { PreviewRequest } from '../../../src-main/engine/run/preview';
import { previewNode, profileNode } from '../../support/engine';
import { tempDir } from '../../support/temp-dir';

/**
 * The grid's sort and filter, done by DuckDB over the node's whole relation (issue #15, item
 * 13): 5,000 rows whose largest values are at the end, so the first 1,000 rows alone would
 * give another answer.
 */
const dir = tempDir();
const file = join(dir, 'p.weir.json');
writeFileSync(file, '{}');

const doc = {
  format: 'weir.pipeline',
  version: 1,
  name: 'p',
  params: {},
  nodes: [
    {
      id: 'readings',
      name: 'readings',
      kind: 'sql',
      inputs: [],
      config: {
        sql: [
          'select i as id,',
          "  'B' || lpad((i % 40)::VARCHAR, 4, '0') as batch_id,",
          '  ((i * 0.37) % 100 + i / 1000.0)::DOUBLE as viability,',
          "  case when i % 7 = 0 then null else ['BOS', 'SFO', 'bos-2'][1 + i % 3] end as site",
          'from range(5000) t(i)',
        ],
      },
    },
    { id: 'lots', name: 'lots', kind: 'seed', inputs: [], config: { columns: [{ name: 'v', type: 'INTEGER' }], rows: [[7], [7], [7]] } },
  ],
  layout: {},
};
const pipeline: Pipeline = parsePipeline(JSON.stringify(doc)).pipeline;
const preview = (more: Partial<PreviewRequest>) => previewNode({ pipeline, file, nodeId: 'readings', limit: 1000, ...more });

describe('sorting and filtering a preview in DuckDB', () => {
  it('sorts over every row, not the first thousand', async () => {
    const plain = await preview({});
    expect(plain.rows).toHaveLength(1000);
    const desc = await preview({ orderBy: [{ column: 'id', descending: true }] });
    expect(desc.rows.slice(0, 3).map((r) => r[0])).toEqual([4999, 4998, 4997]);
    const byViability = await preview({ orderBy: [{ column: 'viability', descending: true }] });
    const v = byViability.rows.map((r) => r[2] as number);
    expect(v[0]).toBeGreaterThan(Math.max(...plain.rows.map((r) => r[2] as number)));
    expect(v).toEqual([...v].sort((a, b) => b - a));
    // NULLs last, ascending and descending alike.
    const sites = await preview({ orderBy: [{ column: 'site' }], limit: 5000 });
    expect(sites.rows.at(-1)![3]).toBeNull();
    expect(sites.rows[0]![3]).toBe('BOS');
  });

  it('filters over every row; a value compares as the column type says (numbers as numbers)', async () => {
    // 100 > 95 as numbers, though '100' < '95' as text.
    const high = await preview({ filter: [{ column: 'viability', op: '>=', value: '99.5' }], count: true });
    expect(high.rows.length).toBeGreaterThan(0);
    expect(high.rows.every((r) => (r[2] as number) >= 99.5)).toBe(true);
    expect(high.rows.some((r) => (r[0] as number) >= 1000)).toBe(true);
    const late = await preview({ filter: [{ column: 'id', op: '>', value: 4990 }], count: true });
    expect(late.rows.map((r) => r[0])).toEqual([4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999]);
    expect(late.rowCount).toBe(9);
    // Text matches ignore case; NULL tests take no value; filters combine with AND, then sort.
    const bos = await preview({
      filter: [{ column: 'site', op: 'contains', value: 'bos' }, { column: 'batch_id', op: '=', value: 'B0001' }],
      orderBy: [{ column: 'id', descending: true }],
      limit: 5000,
    });
    expect(new Set(bos.rows.map((r) => r[3]))).toEqual(new Set(['BOS', 'bos-2']));
    expect(bos.rows.every((r) => r[1] === 'B0001')).toBe(true);
    expect(bos.rows[0]![0]).toBeGreaterThan(bos.rows.at(-1)![0] as number);
    const none = await preview({ filter: [{ column: 'site', op: 'is_null' }], count: true, limit: 5000 });
    expect(none.rowCount).toBe(Math.ceil(5000 / 7));
    // Not equal keeps the rows without a value.
    const notBos = await preview({ filter: [{ column: 'site', op: '!=', value: 'BOS' }], limit: 5000 });
    expect(notBos.rows.some((r) => r[3] === null)).toBe(true);
    expect(notBos.rows.some((r) => r[3] === 'BOS')).toBe(false);
  });

  it('a value is data, never SQL; a wrong value or column is said as the filter\'s problem', async () => {
    const hostile = await preview({ filter: [{ column: 'site', op: '=', value: "BOS' OR 1=1 --" }], count: true });
    expect(hostile.rows).toEqual([]);
    await expect(preview({ filter: [{ column: 'viability', op: '>', value: 'lots' }] })).rejects.toThrow(/^the filter cannot be applied: .*lots/);
    const err = await preview({ orderBy: [{ column: 'nope' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeirError);
    expect((err as WeirError).message).toBe('the node has no column "nope" to sort or filter by');
  });
});

describe("the profile's histograms", () => {
  it('bins numbers by their spread, empty bins included; a single value is one value, not "1 bins"', async () => {
    const res = await profileNode({ pipeline, file, nodeId: 'readings' });
    const viability = res.columns.find((c) => c.name === 'viability')!;
    expect(viability.histogram.length).toBeGreaterThanOrEqual(2);
    expect(viability.histogram.reduce((s, b) => s + b.count, 0)).toBe(5000);
    expect(viability.histogram.every((b) => b.upper !== undefined)).toBe(true);
    expect(Number(viability.histogram[0]!.label)).toBeLessThanOrEqual(Number(viability.min));
    const id = res.columns.find((c) => c.name === 'id')!;
    expect(id.histogram.reduce((s, b) => s + b.count, 0)).toBe(5000);
    const single = await profileNode({ pipeline, file, nodeId: 'lots' });
    expect(single.columns[0]).toMatchObject({ distinct: 1, histogram: [{ label: '7', count: 3 }] });
  });
});
