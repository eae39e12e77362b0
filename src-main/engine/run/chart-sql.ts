import type { DuckDBValue } from '@duckdb/node-api';
import type { AxisScale, ChartAgg, ChartWindow } from '../../../shared/chart/spec';
import { ident } from '../duckdb/sql';

/**
 * The queries behind a preview chart (chart.ts runs them). Every column name the user picked is
 * quoted as a name (`ident`), every value (a kept colour, facet or category, a bucket's bounds)
 * is bound as a parameter: nothing a pipeline or a request holds is spliced into SQL as text.
 */
export interface ChartQuery {
  sql: string;
  values: DuckDBValue[];
}

/** The x column as a number: epoch seconds for dates and timestamps (what uPlot's time axis reads), a double otherwise. */
export function xNumber(column: string, scale: AxisScale): string {
  const c = ident(column);
  return scale === 'time' ? `epoch(${c})::DOUBLE` : `${c}::DOUBLE`;
}

/** A grouping column (colour, facet) as text, or a NULL text where the chart has none. */
export const groupText = (column: string | undefined) => (column === undefined ? 'NULL::VARCHAR' : `${ident(column)}::VARCHAR`);

/**
 * Where the rows stay inside the kept colours and facets: only when a cap left some out. A NULL
 * value is a group of its own, kept when it was among the top ones.
 */
export interface GroupKeep {
  column: string;
  /** The kept values; null stands for the NULL group. */
  values: (string | null)[];
}

function keepClause(keep: GroupKeep, values: DuckDBValue[]): string {
  const named = keep.values.filter((v): v is string => v !== null);
  const withNull = keep.values.includes(null);
  const c = ident(keep.column);
  const parts: string[] = [];
  if (named.length) {
    parts.push(`${c}::VARCHAR IN (${named.map(() => '?').join(', ')})`);
    values.push(...named);
  }
  if (withNull) parts.push(`${c} IS NULL`);
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}

/** The rows whose x is inside a zoom's window (bounds bound as values), and always a non-NULL x. */
function xConditions(x: string, scale: AxisScale, window: ChartWindow | undefined, values: DuckDBValue[]): string[] {
  const conditions = [`${ident(x)} IS NOT NULL`];
  if (window) {
    conditions.push(`${xNumber(x, scale)} BETWEEN ?::DOUBLE AND ?::DOUBLE`);
    values.push(window.lo, window.hi);
  }
  return conditions;
}

function whereOf(conditions: string[], keeps: readonly GroupKeep[], values: DuckDBValue[]): string {
  const all = [...conditions, ...keeps.map((k) => keepClause(k, values))];
  return all.length ? `WHERE ${all.join(' AND ')}` : '';
}

/**
 * The most frequent values of a grouping column, one more than the cap (so the caller knows it
 * capped), each with the relation's row count (`total`): the same scan counts the rows.
 */
export function topGroups(relation: string, column: string, cap: number): ChartQuery {
  const c = ident(column);
  return {
    sql: `SELECT v, n, sum(n) OVER ()::BIGINT AS total FROM (SELECT ${c}::VARCHAR AS v, count(*)::BIGINT AS n FROM ${ident(relation)} GROUP BY ALL) ORDER BY n DESC, v NULLS LAST LIMIT ${Math.trunc(cap) + 1}`,
    values: [],
  };
}

/** The x range, over the rows the chart draws. */
export function xRange(relation: string, x: string, scale: AxisScale, keeps: readonly GroupKeep[]): ChartQuery {
  const values: DuckDBValue[] = [];
  const where = whereOf([`${ident(x)} IS NOT NULL`], keeps, values);
  return { sql: `SELECT min(${xNumber(x, scale)}) AS lo, max(${xNumber(x, scale)}) AS hi FROM ${ident(relation)} ${where}`, values };
}

export interface LineQueryArgs {
  relation: string;
  x: string;
  scale: AxisScale;
  ys: readonly string[];
  color?: string;
  facet?: string;
  keeps: readonly GroupKeep[];
  lo: number;
  hi: number;
  buckets: number;
  /** A zoom: only the rows whose x is inside (lo and hi are then the window's). */
  window?: ChartWindow;
}

/**
 * M4 downsampling (Jugel et al., VLDB 2014): the x range cut into `buckets` equal buckets (the
 * chart's pixel width), and per bucket, facet, colour and y column the first, last, lowest and
 * highest point. A line drawn through those four per pixel column looks exactly like one drawn
 * through every row, and no more than 4 × buckets points per series leave DuckDB.
 */
export function lineQuery(a: LineQueryArgs): ChartQuery {
  const values: DuckDBValue[] = [];
  const X = xNumber(a.x, a.scale);
  const span = a.hi > a.lo ? a.hi - a.lo : 1;
  values.push(a.lo, span, a.buckets, a.buckets - 1);
  const bucket = `least(floor((${X} - ?::DOUBLE) / ?::DOUBLE * ?::DOUBLE), ?::DOUBLE)::INTEGER`;
  const perY = a.ys.map((y, i) => {
    const Y = `${ident(y)}::DOUBLE`;
    const has = `FILTER (WHERE ${Y} IS NOT NULL)`;
    return [
      `min(${X}) ${has} AS xf${i}`,
      `arg_min(${Y}, ${X}) ${has} AS yf${i}`,
      `max(${X}) ${has} AS xl${i}`,
      `arg_max(${Y}, ${X}) ${has} AS yl${i}`,
      `arg_min(${X}, ${Y}) ${has} AS xn${i}`,
      `min(${Y}) AS yn${i}`,
      `arg_max(${X}, ${Y}) ${has} AS xx${i}`,
      `max(${Y}) AS yx${i}`,
    ].join(', ');
  });
  const where = whereOf(xConditions(a.x, a.scale, a.window, values), a.keeps, values);
  return {
    sql: `SELECT ${groupText(a.facet)} AS f, ${groupText(a.color)} AS c, ${bucket} AS k, ${perY.join(', ')} FROM ${ident(a.relation)} ${where} GROUP BY ALL`,
    values,
  };
}

/** A sample of at most `cap` rows (reservoir, seeded: the same rows every time for the same data). */
export function scatterQuery(a: Omit<LineQueryArgs, 'lo' | 'hi' | 'buckets'> & { cap: number }): ChartQuery {
  const values: DuckDBValue[] = [];
  const X = xNumber(a.x, a.scale);
  const ys = a.ys.map((y, i) => `${ident(y)}::DOUBLE AS y${i}`);
  const where = whereOf(xConditions(a.x, a.scale, a.window, values), a.keeps, values);
  return {
    sql: `SELECT * FROM (SELECT ${groupText(a.facet)} AS f, ${groupText(a.color)} AS c, ${X} AS x, ${ys.join(', ')} FROM ${ident(a.relation)} ${where}) USING SAMPLE reservoir(${Math.trunc(a.cap)} ROWS) REPEATABLE (7)`,
    values,
  };
}

/** The most frequent x categories (one more than the cap), with their smallest value to order numbers and dates by. */
export function topCategories(relation: string, x: string, ordered: boolean, keeps: readonly GroupKeep[], cap: number): ChartQuery {
  const values: DuckDBValue[] = [];
  const c = ident(x);
  const where = whereOf([`${c} IS NOT NULL`], keeps, values);
  return {
    sql: `SELECT ${c}::VARCHAR AS v, count(*)::BIGINT AS n${ordered ? `, min(${c}) AS o` : ''} FROM ${ident(relation)} ${where} GROUP BY 1 ORDER BY n DESC, v LIMIT ${Math.trunc(cap) + 1}`,
    values,
  };
}

const AGG_SQL: Record<Exclude<ChartAgg, 'count'>, string> = { sum: 'sum', avg: 'avg', min: 'min', max: 'max' };

/** Bars: per kept category, facet and colour, the row count and each y aggregated. */
export function barQuery(a: { relation: string; x: string; ys: readonly string[]; agg: ChartAgg; color?: string; facet?: string; keeps: readonly GroupKeep[]; categories: readonly string[] }): ChartQuery {
  const values: DuckDBValue[] = [];
  const c = ident(a.x);
  const aggs = a.agg === 'count' ? [] : a.ys.map((y, i) => `${AGG_SQL[a.agg as Exclude<ChartAgg, 'count'>]}(${ident(y)}::DOUBLE) AS v${i}`);
  const keepCats: GroupKeep = { column: a.x, values: [...a.categories] };
  const where = whereOf([`${c} IS NOT NULL`], [...a.keeps, keepCats], values);
  return {
    sql: `SELECT ${groupText(a.facet)} AS f, ${groupText(a.color)} AS c, ${c}::VARCHAR AS cat, count(*)::BIGINT AS n${aggs.length ? `, ${aggs.join(', ')}` : ''} FROM ${ident(a.relation)} ${where} GROUP BY ALL`,
    values,
  };
}

/** Quartiles and range of x, for the histogram's bin plan (the profile's: profile-bins.ts). */
export function histogramStats(relation: string, x: string, scale: AxisScale, keeps: readonly GroupKeep[]): ChartQuery {
  const values: DuckDBValue[] = [];
  const X = xNumber(x, scale);
  const where = whereOf([`${ident(x)} IS NOT NULL`], keeps, values);
  return {
    sql: `SELECT count(${X})::BIGINT AS n, min(${X}) AS lo, max(${X}) AS hi, quantile_cont(${X}, 0.25) AS q1, quantile_cont(${X}, 0.75) AS q3 FROM ${ident(relation)} ${where}`,
    values,
  };
}

/** Rows per bin, facet and colour. */
export function histogramQuery(a: { relation: string; x: string; scale: AxisScale; color?: string; facet?: string; keeps: readonly GroupKeep[]; start: number; width: number; count: number }): ChartQuery {
  const values: DuckDBValue[] = [];
  const X = xNumber(a.x, a.scale);
  values.push(a.start, a.width, a.count - 1);
  const where = whereOf([`${ident(a.x)} IS NOT NULL`], a.keeps, values);
  return {
    sql: `SELECT ${groupText(a.facet)} AS f, ${groupText(a.color)} AS c, least(greatest(floor((${X} - ?::DOUBLE) / ?::DOUBLE), 0), ?::DOUBLE)::INTEGER AS bin, count(*)::BIGINT AS n FROM ${ident(a.relation)} ${where} GROUP BY ALL`,
    values,
  };
}
