import { z } from 'zod';

/**
 * A chart of one node's rows, as the preview's Chart tab draws it and as the pipeline file keeps
 * it (`layout.<node id>.chart`, beside the node's position): which mark, which columns. Only names of columns: no SQL, no
 * values, so a chart change never reaches what a node computes. The engine quotes every name.
 */
export const CHART_MARKS = ['line', 'bar', 'scatter', 'histogram'] as const;
export const chartMark = z.enum(CHART_MARKS);
export type ChartMark = z.infer<typeof chartMark>;

/** Bars aggregate the y columns per x category; a bar chart without y counts rows. */
export const CHART_AGGS = ['count', 'sum', 'avg', 'min', 'max'] as const;
export const chartAgg = z.enum(CHART_AGGS);
export type ChartAgg = z.infer<typeof chartAgg>;

/** At most this many y columns on one chart: each is a series (per colour value). */
export const MAX_CHART_Y = 8;

const columnName = z.string().min(1, 'expected a column name').max(300, 'expected a column name of at most 300 characters');

export const chartSpec = z.strictObject({
  mark: chartMark,
  x: columnName,
  /** The measured columns; a histogram and a counting bar chart have none. */
  y: z.array(columnName).max(MAX_CHART_Y, `expected at most ${MAX_CHART_Y} y columns`).default([]),
  /** One series per value of this (low-cardinality) column. */
  color: columnName.optional(),
  /** One small chart per value of this column. */
  facet: columnName.optional(),
  /** Bars only: how y is aggregated per category (avg by default; count without y). */
  agg: chartAgg.optional(),
});
export type ChartSpec = z.infer<typeof chartSpec>;

/**
 * The x window a zoomed line or scatter chart asks for (epoch seconds for a time axis): the
 * engine reduces only the rows inside it, so a zoom shows finer detail instead of stretching
 * the points it had. View state: never kept in the pipeline file.
 */
export const chartWindow = z
  .strictObject({ lo: z.number().finite(), hi: z.number().finite() })
  .refine((w) => w.lo < w.hi, { message: 'expected lo below hi' });
export type ChartWindow = z.infer<typeof chartWindow>;
export type ChartSpecInput = z.input<typeof chartSpec>;

/** What a column's DuckDB type makes it on a chart's axis. */
export type AxisScale = 'time' | 'number' | 'category';

const NUMERIC = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|REAL|DECIMAL)/;
export const isNumericColumn = (type: string) => NUMERIC.test(type);
export const isTimeColumn = (type: string) => type === 'DATE' || /^TIMESTAMP/.test(type);

export function axisScale(type: string): AxisScale {
  if (isTimeColumn(type)) return 'time';
  if (isNumericColumn(type)) return 'number';
  return 'category';
}

export interface ChartColumn {
  name: string;
  type: string;
}

/** A text column whose name says it groups rows (batch, lot, site...): a good default colour. */
const GROUPING = /(^|_)(batch|lot|site|group|run|sample|donor|patient|reactor|bioreactor|vessel|line|series|device|instrument)(_?id|_?no)?$/i;

/**
 * The chart a node's columns suggest: a time x with numeric ys draws lines (coloured by a
 * grouping column when one is named like one), a category with a number draws bars, a lone
 * number draws its histogram. Null when no column can be drawn.
 */
export function defaultChart(columns: readonly ChartColumn[]): ChartSpec | null {
  const numeric = columns.filter((c) => isNumericColumn(c.type));
  const time = columns.find((c) => isTimeColumn(c.type));
  const text = columns.filter((c) => axisScale(c.type) === 'category' && /^(VARCHAR|BOOLEAN|ENUM)/.test(c.type) && !/\[\]$/.test(c.type));
  const group = text.find((c) => GROUPING.test(c.name));
  // Identifier-like numeric columns (`batch_no`, `id`) measure nothing: prefer the others.
  const measures = numeric.filter((c) => !/(^|_)(id|no|number|year|month|day)$/i.test(c.name));
  const ys = measures.length ? measures : numeric;
  if (time && ys.length) return { mark: 'line', x: time.name, y: [ys[0]!.name], ...(group ? { color: group.name } : {}) };
  const category = group ?? text[0];
  if (category && ys.length) return { mark: 'bar', x: category.name, y: [ys[0]!.name], agg: 'avg' };
  if (ys.length >= 2) return { mark: 'scatter', x: ys[0]!.name, y: [ys[1]!.name], ...(category ? { color: category.name } : {}) };
  if (ys.length === 1) return { mark: 'histogram', x: ys[0]!.name, y: [] };
  if (category) return { mark: 'bar', x: category.name, y: [], agg: 'count' };
  return null;
}
