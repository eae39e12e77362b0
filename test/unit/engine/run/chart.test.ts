import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WeirError } from '../../../../shared/errors';
import { parsePipeline } from '../../../../shared/pipeline/parse';
import type { Pipeline } from '../../../../shared/pipeline/schema';
import type { ChartSpecInput } from '../../../../shared/chart/spec';
import { chartSpec, chartWindow } from '../../../../shared/chart/spec';
import { chartResult } from '../../../../shared/chart/results';
import { chartNode, MAX_COLORS } from '../../../../src-main/engine/run/chart';
import { lineQuery } from '../../../../src-main/engine/run/chart-sql';
import { testConnection } from '../../../support/duckdb';
import { testContext } from '../../../support/engine';
import { tempDir } from '../../../support/temp-dir';

/**
 * The preview's charts (issue #20 item 1): the reduction runs in DuckDB, over every row of the
 * node, and what comes back is bounded by the chart's width, not by the node's rows.
 */
const dir = tempDir();
const file = join(dir, 'p.weir.json');
writeFileSync(file, '{}');

const HOSTILE = `x"; DROP TABLE readings; --`;

function pipelineOf(sql: string[]): Pipeline {
  return parsePipeline(
    JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes: [{ id: 'readings', name: 'readings', kind: 'sql', inputs: [], config: { sql } }], layout: {} }),
  ).pipeline;
}

// 3 batches × 20,000 readings a minute apart; pH wanders, and one spike and one dip per batch
// sit at known rows, so a chart that drops a bucket's extremes misses them.
const readings = pipelineOf([
  'select',
  "  'B' || (140 + b)::VARCHAR as batch_id,",
  "  TIMESTAMP '2026-01-01' + to_minutes(i) as ts,",
  '  case when i = 12345 then 9.5 + b when i = 777 then 5.0 - b else 7.0 + sin(i / 300.0) * 0.2 + b * 0.01 end as ph,',
  '  (i % 100)::DOUBLE as do_pct,',
  `  i % 3 as "${HOSTILE.replace(/"/g, '""')}",`,
  "  case when i % 10 = 0 then null else ['north', 'south'][1 + i % 2] end as site",
  'from range(3) b(b), range(20000) t(i)',
]);

const chart = (spec: ChartSpecInput, width = 200, pipeline = readings, window?: { lo: number; hi: number }) =>
  chartNode(testContext(), { pipeline, file, nodeId: 'readings', chart: chartSpec.parse(spec), width, ...(window ? { window } : {}) });

describe('a line chart, downsampled in DuckDB (M4)', () => {
  it('keeps every bucket to at most four points per series, and every extreme of the data', async () => {
    const r = await chart({ mark: 'line', x: 'ts', y: ['ph'], color: 'batch_id' });
    expect(chartResult.parse(r)).toBeTruthy();
    expect(r.rows).toBe(60_000);
    expect(r.x.scale).toBe('time');
    const [facet] = r.facets;
    expect(facet!.series.map((s) => s.color)).toEqual(['B140', 'B141', 'B142']);
    for (const [b, s] of facet!.series.entries()) {
      expect(s.x.length).toBeLessThanOrEqual(4 * 200);
      expect(s.x.length).toBeGreaterThan(200);
      // Sorted by time, and the spike and the dip of this batch are there at their own times.
      expect(s.x).toEqual([...s.x].sort((a, c) => a - c));
      expect(Math.max(...(s.values as number[]))).toBe(9.5 + b);
      expect(Math.min(...(s.values as number[]))).toBe(5.0 - b);
      const start = Date.UTC(2026, 0, 1) / 1000;
      expect(s.x[s.values.indexOf(9.5 + b)]).toBe(start + 12345 * 60);
      expect(s.x[s.values.indexOf(5.0 - b)]).toBe(start + 777 * 60);
      // First and last readings are kept too.
      expect(s.x[0]).toBe(start);
      expect(s.x.at(-1)).toBe(start + 19999 * 60);
    }
    expect(r.points).toBeLessThanOrEqual(3 * 4 * 200);
  });

  it("keeps each bucket's min and max as DuckDB computes them over every row", async () => {
    const conn = await testConnection();
    await conn.run('CREATE OR REPLACE TABLE m4 AS SELECT i::DOUBLE AS x, ((i * 7919) % 1000)::DOUBLE AS y FROM range(100000) t(i)');
    const q = lineQuery({ relation: 'm4', x: 'x', scale: 'number', ys: ['y'], keeps: [], lo: 0, hi: 99999, buckets: 50 });
    const rows = (await conn.runAndReadAll(q.sql, q.values)).getRowObjectsJS();
    const truth = (await conn.runAndReadAll('SELECT least(floor(x / 99999 * 50), 49)::INTEGER AS k, min(y) AS lo, max(y) AS hi, count(*)::INTEGER AS n FROM m4 GROUP BY k ORDER BY k')).getRowObjectsJS();
    expect(rows).toHaveLength(50);
    for (const t of truth) {
      const got = rows.find((r) => r.k === t.k)!;
      expect([got.yn0, got.yx0]).toEqual([t.lo, t.hi]);
      // The x of each extreme has that y.
      const [[y1], [y2]] = [
        (await conn.runAndReadAll('SELECT y FROM m4 WHERE x = $1', [got.xn0 as number])).getRows(),
        (await conn.runAndReadAll('SELECT y FROM m4 WHERE x = $1', [got.xx0 as number])).getRows(),
      ];
      expect([y1![0], y2![0]]).toEqual([t.lo, t.hi]);
    }
  });

  it('facets into small multiples and caps colours', async () => {
    const r = await chart({ mark: 'line', x: 'ts', y: ['ph', 'do_pct'], facet: 'site' });
    expect(r.facets.map((f) => f.value)).toEqual(['north', 'south', null]);
    expect(r.facets[0]!.series.map((s) => s.y)).toEqual(['ph', 'do_pct']);
    const many = pipelineOf(['select i % 50 as grp, i::DOUBLE as x, i::DOUBLE as y from range(5000) t(i)']);
    const capped = await chart({ mark: 'line', x: 'x', y: ['y'], color: 'grp' }, 100, many);
    expect(capped.facets[0]!.series).toHaveLength(MAX_COLORS);
    expect(capped.capped.series).toBe(true);
  });
});

describe('a zoom asks for a window of x', () => {
  const start = Date.UTC(2026, 0, 1) / 1000;
  // Minutes 12,000 to 12,500 of each batch: the spike at minute 12,345 is inside.
  const window = { lo: start + 12_000 * 60, hi: start + 12_500 * 60 };

  it('a line is reduced again inside the window: finer buckets, every row of it, its extremes kept', async () => {
    const whole = await chart({ mark: 'line', x: 'ts', y: ['ph'], color: 'batch_id' });
    const zoomed = await chart({ mark: 'line', x: 'ts', y: ['ph'], color: 'batch_id' }, 200, readings, window);
    expect(chartResult.parse(zoomed).window).toEqual(window);
    expect(whole.window).toBeUndefined();
    for (const [b, s] of zoomed.facets[0]!.series.entries()) {
      expect(s.x.every((x) => x >= window.lo && x <= window.hi)).toBe(true);
      // 501 readings over 200 buckets: each bucket's first and last at least (the pH here is
      // monotone within a bucket), where the whole range kept only a few points between these minutes.
      expect(s.x.length).toBeGreaterThanOrEqual(400);
      const before = whole.facets[0]!.series[b]!.x.filter((x) => x >= window.lo && x <= window.hi).length;
      expect(before).toBeLessThan(30);
      expect(s.x[0]).toBe(window.lo);
      expect(s.x.at(-1)).toBe(window.hi);
      expect(Math.max(...(s.values as number[]))).toBe(9.5 + b);
    }
  });

  it('a scatter samples only inside the window; bars and histograms ignore it', async () => {
    const r = await chart({ mark: 'scatter', x: 'ts', y: ['ph'] }, 200, readings, window);
    expect(r.points).toBe(3 * 501);
    expect(r.capped.sampled).toBe(false);
    const bars = await chart({ mark: 'bar', x: 'site', y: [] }, 200, readings, window);
    expect(bars.window).toBeUndefined();
    expect(bars.facets[0]!.series[0]!.values.reduce<number>((a, v) => a + (v ?? 0), 0)).toBe(54_000);
  });

  it('a window with lo not below hi, or not finite, is refused by the contract', () => {
    expect(chartWindow.safeParse({ lo: 5, hi: 5 }).success).toBe(false);
    expect(chartWindow.safeParse({ lo: 0, hi: Infinity }).success).toBe(false);
    expect(chartWindow.safeParse({ lo: 0, hi: 1, sql: 'x' }).success).toBe(false);
  });
});

describe('bars, scatter and histograms', () => {
  it('bars aggregate per category in DuckDB', async () => {
    const r = await chart({ mark: 'bar', x: 'batch_id', y: ['do_pct'], agg: 'max' });
    expect(r.categories!.sort()).toEqual(['B140', 'B141', 'B142']);
    expect(r.facets[0]!.series[0]!.values).toEqual([99, 99, 99]);
    const counted = await chart({ mark: 'bar', x: 'site', y: [] });
    const bySite = Object.fromEntries(counted.categories!.map((c, i) => [c, counted.facets[0]!.series[0]!.values[i]]));
    expect(bySite).toEqual({ north: 24_000, south: 30_000 });
  });

  it('a scatter is a capped sample', async () => {
    const r = await chart({ mark: 'scatter', x: 'do_pct', y: ['ph'] });
    expect(r.points).toBe(10_000);
    expect(r.capped.sampled).toBe(true);
  });

  it("a histogram uses the profile's bins, every row counted", async () => {
    const r = await chart({ mark: 'histogram', x: 'do_pct' });
    const counts = r.facets[0]!.series[0]!.values as number[];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(r.categories![0]).toBe('0');
  });
});

describe('column names come from the user', () => {
  it('a hostile column name is quoted as a name, never run as SQL', async () => {
    const r = await chart({ mark: 'bar', x: HOSTILE, y: ['ph'], color: HOSTILE });
    expect(r.categories!.sort()).toEqual(['0', '1', '2']);
    expect(r.facets[0]!.series.map((s) => s.color)).toEqual(['0', '1', '2']);
    // The node is still there and whole.
    expect((await chart({ mark: 'histogram', x: 'do_pct' })).rows).toBe(60_000);
  });

  it('a column the node lacks, or of the wrong type, is refused naming the field', async () => {
    await expect(chart({ mark: 'line', x: 'ts', y: [`ph" FROM readings; DROP TABLE x; --`] })).rejects.toThrow(/chart y\[0\]: "ph" FROM readings.*is not a column of this node/);
    await expect(chart({ mark: 'line', x: 'batch_id', y: ['ph'] })).rejects.toThrow(/chart x: a line needs a number, date or timestamp/);
    await expect(chart({ mark: 'bar', x: 'site', y: ['batch_id'] })).rejects.toBeInstanceOf(WeirError);
  });
});
