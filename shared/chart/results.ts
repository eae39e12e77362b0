import { z } from 'zod';
import { chartMark, chartWindow } from './spec';

/**
 * What the engine's `chartNode` answers: per facet, per series, the points to draw, already
 * reduced in DuckDB to about the chart's pixel width (lines: each x bucket's first, last,
 * lowest and highest point; scatter: a capped sample; bars: the top categories; histograms:
 * bins). x values are numbers: epoch seconds for dates and timestamps, the category's index
 * into `categories` for bars.
 */
export const chartSeries = z.strictObject({
  /** The y column this series draws (a histogram's or counting bar's: "count"). */
  y: z.string(),
  /** The colour column's value, as text; absent without a colour column. */
  color: z.string().nullable().optional(),
  x: z.array(z.number()),
  values: z.array(z.number().nullable()),
});
export type ChartSeries = z.infer<typeof chartSeries>;

export const chartFacet = z.strictObject({
  /** The facet column's value, as text; absent without a facet column. */
  value: z.string().nullable().optional(),
  series: z.array(chartSeries),
});
export type ChartFacet = z.infer<typeof chartFacet>;

export const chartResult = z.strictObject({
  nodeId: z.string(),
  mark: chartMark,
  x: z.strictObject({ name: z.string(), type: z.string(), scale: z.enum(['time', 'number', 'category']) }),
  /** Bars and histograms: the label of each x position (category, or a bin's lower bound). */
  categories: z.array(z.string()).optional(),
  facets: z.array(chartFacet),
  /** Rows of the node the chart reads (before any reduction). */
  rows: z.number(),
  /** Points sent, over every facet and series: what the renderer draws. */
  points: z.number(),
  /** What the caps left out: colour values, facets, categories beyond the cap; a sample of the rows. */
  capped: z.strictObject({ series: z.boolean(), facets: z.boolean(), categories: z.boolean(), sampled: z.boolean() }),
  /** The x window drawn when the request asked for one (a zoom); absent: every row's x range. */
  window: chartWindow.optional(),
  elapsedMs: z.number(),
  revision: z.string().optional(),
});
export type ChartResult = z.infer<typeof chartResult>;
