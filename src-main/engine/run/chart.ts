import type { DuckDBConnection } from '@duckdb/node-api';
import { WeirError } from '../../../shared/errors';
import { axisScale, isNumericColumn, type ChartSpec, type ChartWindow } from '../../../shared/chart/spec';
import type { ChartFacet, ChartResult, ChartSeries } from '../../../shared/chart/results';
import type { EngineContext } from '../context';
import { queryRows, type Row } from '../duckdb/session';
import { describeDuckdbError, isInterrupt } from '../duckdb/sql-error';
import { describeColumns, relationRowCount, type ColumnInfo } from '../duckdb/relation-stats';
import { withNodeRelation, type NodeRequest } from './preview';
import type { PreviewSession } from './preview-session';
import { boundText, planBins } from './profile-bins';
import { barQuery, histogramQuery, histogramStats, lineQuery, scatterQuery, topCategories, topGroups, xRange, type ChartQuery, type GroupKeep } from './chart-sql';

/** The API contract's DTO is this type: one definition, in shared/. */
export type { ChartResult } from '../../../shared/chart/results';

export interface ChartRequest extends NodeRequest {
  chart: ChartSpec;
  /** The chart's width in pixels: a line gets that many x buckets per series. */
  width?: number;
  /** A zoomed line or scatter chart's x window: the rows inside it, reduced to the width again. */
  window?: ChartWindow;
}

/** One series per colour value up to this many; small multiples up to this many facets. */
export const MAX_COLORS = 12;
export const MAX_FACETS = 6;
/** Bars: the most frequent categories. */
export const MAX_CATEGORIES = 30;
/** Scatter: a sample of at most this many rows over every facet. */
export const MAX_SCATTER = 10_000;
export const DEFAULT_WIDTH = 800;
const MAX_WIDTH = 4000;

const run = (conn: DuckDBConnection, q: ChartQuery): Promise<Row[]> => queryRows(conn, q.sql, q.values);
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * A chart of one node's rows, reduced in DuckDB to what a chart of `width` pixels can show (see
 * chart-sql.ts): the renderer never receives the node's rows, only a few points per pixel column.
 * In `session` when given (the designer's warm session), like previews and profiles.
 */
export async function chartNode(engine: EngineContext, req: ChartRequest, session?: PreviewSession): Promise<ChartResult> {
  const t0 = performance.now();
  return withNodeRelation(
    engine,
    req,
    async (conn, relation) => {
      const columns = await describeColumns(conn, relation);
      const result = await chartQueries(() => drawChart(conn, relation, columns, req.chart, clampWidth(req.width), req.window));
      return { nodeId: req.nodeId, ...result, elapsedMs: Math.round(performance.now() - t0) };
    },
    session,
  );
}

/**
 * The node is computed by the time the chart's queries run: a DuckDB error then is the chart's
 * (a column it cannot aggregate), said as such, not as the node's failure.
 */
async function chartQueries<T>(draw: () => Promise<T>): Promise<T> {
  try {
    return await draw();
  } catch (e) {
    if (e instanceof WeirError || isInterrupt(e)) throw e;
    throw new WeirError('usage', `the chart cannot be drawn: ${describeDuckdbError(e).message}`);
  }
}

function clampWidth(width: number | undefined): number {
  return Math.max(8, Math.min(MAX_WIDTH, Math.round(width ?? DEFAULT_WIDTH)));
}

/** The column the spec names, checked: its field named in the error when it is not one of the node's. */
function columnOf(columns: readonly ColumnInfo[], name: string, field: string): ColumnInfo {
  // DuckDB's names ignore case: the relation's spelling is the one quoted.
  const c = columns.find((col) => col.name === name) ?? columns.find((col) => col.name.toLowerCase() === name.toLowerCase());
  if (!c) throw new WeirError('usage', `chart ${field}: "${name}" is not a column of this node (it has ${columns.map((col) => col.name).slice(0, 12).join(', ')}${columns.length > 12 ? ', …' : ''})`);
  return c;
}

/** The spec's columns, checked against the node's and the mark's needs. */
function checkSpec(columns: readonly ColumnInfo[], spec: ChartSpec) {
  const x = columnOf(columns, spec.x, 'x');
  const ys = spec.y.map((y, i) => columnOf(columns, y, `y[${i}]`));
  const color = spec.color === undefined ? undefined : columnOf(columns, spec.color, 'colour');
  const facet = spec.facet === undefined ? undefined : columnOf(columns, spec.facet, 'facet');
  const scale = axisScale(x.type);
  for (const [i, y] of ys.entries()) {
    if (!isNumericColumn(y.type)) throw new WeirError('usage', `chart y[${i}]: "${y.name}" is ${y.type}; a chart measures numbers`);
  }
  if (spec.mark !== 'bar' && scale === 'category') throw new WeirError('usage', `chart x: a ${spec.mark} needs a number, date or timestamp on x; "${x.name}" is ${x.type}`);
  if ((spec.mark === 'line' || spec.mark === 'scatter') && !ys.length) throw new WeirError('usage', `chart y: a ${spec.mark} needs at least one numeric column`);
  return { x, ys, color, facet, scale };
}

/** The kept values of a grouping column: the most frequent `cap`, sorted as text (NULL last); whether the cap left any out. */
async function keptGroups(conn: DuckDBConnection, relation: string, column: string | undefined, cap: number): Promise<{ values: (string | null)[] | null; capped: boolean; rows?: number }> {
  if (column === undefined) return { values: null, capped: false };
  const rows = await run(conn, topGroups(relation, column, cap));
  const total = Number(rows[0]?.total ?? 0);
  const values = rows.slice(0, cap).map((r) => text(r.v));
  values.sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return { values, capped: rows.length > cap, rows: total };
}

type Drawn = Omit<ChartResult, 'nodeId' | 'elapsedMs' | 'revision'>;

async function drawChart(conn: DuckDBConnection, relation: string, columns: readonly ColumnInfo[], spec: ChartSpec, width: number, asked: ChartWindow | undefined): Promise<Drawn> {
  const { x, ys, color, facet, scale } = checkSpec(columns, spec);
  // Bars and histograms are over every row: a window only narrows a line or a scatter.
  const window = spec.mark === 'line' || spec.mark === 'scatter' ? asked : undefined;
  const colors = await keptGroups(conn, relation, color?.name, MAX_COLORS);
  const facets = await keptGroups(conn, relation, facet?.name, MAX_FACETS);
  // A grouping column's scan counted the rows already.
  const rows = colors.rows ?? facets.rows ?? (await relationRowCount(conn, relation));
  // Only a cap needs a filter: without one every row is drawn and no IN list is bound.
  const keeps: GroupKeep[] = [];
  if (color && colors.capped && colors.values) keeps.push({ column: color.name, values: colors.values });
  if (facet && facets.capped && facets.values) keeps.push({ column: facet.name, values: facets.values });
  const groups = new Groups(facets.values, colors.values);
  const base = { mark: spec.mark, x: { name: x.name, type: x.type, scale }, rows, ...(window ? { window } : {}) };
  const capped = { series: colors.capped, facets: facets.capped, categories: false, sampled: false };
  const yNames = ys.map((y) => y.name);

  if (spec.mark === 'line') {
    const [range] = window ? [{ lo: window.lo, hi: window.hi }] : await run(conn, xRange(relation, x.name, scale, keeps));
    const lo = num(range?.lo);
    const hi = num(range?.hi);
    if (lo !== null && hi !== null) {
      const q = lineQuery({ relation, x: x.name, scale, ys: yNames, color: color?.name, facet: facet?.name, keeps, lo, hi, buckets: width, window });
      for (const r of await run(conn, q)) {
        for (let i = 0; i < yNames.length; i++) {
          const s = groups.series(text(r.f), text(r.c), yNames[i]!);
          // First, lowest, highest, last: the same point twice is kept once.
          const pts: [unknown, unknown][] = [[r[`xf${i}`], r[`yf${i}`]], [r[`xn${i}`], r[`yn${i}`]], [r[`xx${i}`], r[`yx${i}`]], [r[`xl${i}`], r[`yl${i}`]]];
          const seen = new Set<number>();
          for (const [px, py] of pts) {
            const xv = num(px);
            const yv = num(py);
            if (xv === null || yv === null || seen.has(xv)) continue;
            seen.add(xv);
            s.x.push(xv);
            s.values.push(yv);
          }
        }
      }
      groups.sortByX();
    }
    return { ...base, ...groups.result(), capped };
  }

  if (spec.mark === 'scatter') {
    const got = await run(conn, scatterQuery({ relation, x: x.name, scale, ys: yNames, color: color?.name, facet: facet?.name, keeps, cap: MAX_SCATTER, window }));
    for (const r of got) {
      for (let i = 0; i < yNames.length; i++) {
        const yv = num(r[`y${i}`]);
        const xv = num(r.x);
        if (yv === null || xv === null) continue;
        const s = groups.series(text(r.f), text(r.c), yNames[i]!);
        s.x.push(xv);
        s.values.push(yv);
      }
    }
    groups.sortByX();
    return { ...base, ...groups.result(), capped: { ...capped, sampled: got.length >= MAX_SCATTER && rows > MAX_SCATTER } };
  }

  if (spec.mark === 'bar') {
    const ordered = scale !== 'category';
    const top = await run(conn, topCategories(relation, x.name, ordered, keeps, MAX_CATEGORIES));
    const kept = top.slice(0, MAX_CATEGORIES);
    // Numbers and dates read in their order; other categories most frequent first.
    if (ordered) kept.sort((a, b) => compare(a.o, b.o));
    const categories = kept.map((r) => String(r.v));
    const index = new Map(categories.map((c, i) => [c, i]));
    const agg = spec.agg ?? (yNames.length ? 'avg' : 'count');
    const measures = agg === 'count' || !yNames.length ? ['count'] : yNames;
    const got = categories.length ? await run(conn, barQuery({ relation, x: x.name, ys: yNames, agg: measures[0] === 'count' ? 'count' : agg, color: color?.name, facet: facet?.name, keeps, categories })) : [];
    for (const r of got) {
      const at = index.get(String(r.cat));
      if (at === undefined) continue;
      measures.forEach((m, i) => groups.point(text(r.f), text(r.c), m, at, m === 'count' ? num(r.n) : num(r[`v${i}`])));
    }
    return { ...base, categories, ...groups.result(categories.length), capped: { ...capped, categories: top.length > MAX_CATEGORIES } };
  }

  // Histogram: the profile's bin plan over the drawn rows, every bin kept (empty ones too).
  const [st] = await run(conn, histogramStats(relation, x.name, scale, keeps));
  const plan = st ? planBins({ n: Number(st.n), min: Number(st.lo), max: Number(st.hi), q1: Number(st.q1), q3: Number(st.q3), integer: /INT/.test(x.type) }) : null;
  const bins = plan ?? (st && Number(st.n) > 0 ? { start: Number(st.lo), width: 1, count: 1 } : null);
  if (!bins) return { ...base, categories: [], ...groups.result(0), capped };
  const categories = Array.from({ length: bins.count }, (_, i) => binLabel(scale, bins.start + i * bins.width, bins.width));
  const got = await run(conn, histogramQuery({ relation, x: x.name, scale, color: color?.name, facet: facet?.name, keeps, ...bins }));
  for (const r of got) groups.point(text(r.f), text(r.c), 'count', Number(r.bin), num(r.n));
  return { ...base, categories, ...groups.result(bins.count), capped };
}

function compare(a: unknown, b: unknown): number {
  const av = typeof a === 'bigint' ? Number(a) : a instanceof Date ? a.getTime() : a;
  const bv = typeof b === 'bigint' ? Number(b) : b instanceof Date ? b.getTime() : b;
  if (typeof av === 'number' && typeof bv === 'number') return av - bv;
  return String(av) < String(bv) ? -1 : String(av) > String(bv) ? 1 : 0;
}

/** A bin's lower bound as its values read: a number, or a date / timestamp (UTC) for epoch seconds. */
function binLabel(scale: string, value: number, width: number): string {
  if (scale !== 'time') return boundText(value, width);
  const iso = new Date(value * 1000).toISOString();
  return width >= 86_400 && value % 86_400 === 0 ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}

/**
 * The answer's facets and series, in a fixed order: facets and colours as kept (sorted as
 * text, NULL last), then y columns as the spec lists them.
 */
class Groups {
  private readonly byKey = new Map<string, ChartSeries>();
  private readonly facetOrder: (string | null)[];
  private readonly colorOrder: (string | null)[];
  private readonly withFacet: boolean;
  private readonly withColor: boolean;
  private readonly yOrder: string[] = [];

  constructor(facets: (string | null)[] | null, colors: (string | null)[] | null) {
    this.withFacet = facets !== null;
    this.withColor = colors !== null;
    this.facetOrder = facets ?? [null];
    this.colorOrder = colors ?? [null];
  }

  series(f: string | null, c: string | null, y: string): ChartSeries {
    const key = JSON.stringify([f, c, y]);
    let s = this.byKey.get(key);
    if (!s) {
      s = { y, ...(this.withColor ? { color: c } : {}), x: [], values: [] };
      this.byKey.set(key, s);
      if (!this.yOrder.includes(y)) this.yOrder.push(y);
    }
    return s;
  }

  /** A bar or bin's value at category `at` (x is the category's index). */
  point(f: string | null, c: string | null, y: string, at: number, v: number | null): void {
    const s = this.series(f, c, y);
    s.x.push(at);
    s.values.push(v);
  }

  sortByX(): void {
    for (const s of this.byKey.values()) {
      const order = s.x.map((_, i) => i).sort((a, b) => s.x[a]! - s.x[b]!);
      s.x = order.map((i) => s.x[i]!);
      s.values = order.map((i) => s.values[i]!);
    }
  }

  /** Per facet its series; with `categories`, every series given a value (or null) at each category, so bars line up. */
  result(categories?: number): { facets: ChartFacet[]; points: number } {
    let points = 0;
    const facets = this.facetOrder.map((f) => {
      const series: ChartSeries[] = [];
      for (const c of this.colorOrder) {
        for (const y of this.yOrder) {
          const s = this.byKey.get(JSON.stringify([f, c, y]));
          if (!s) continue;
          if (categories !== undefined) {
            const dense: (number | null)[] = Array.from({ length: categories }, () => (y === 'count' ? 0 : null));
            s.x.forEach((at, i) => (dense[at] = s.values[i] ?? null));
            s.x = Array.from({ length: categories }, (_, i) => i);
            s.values = dense;
          }
          points += s.x.length;
          series.push(s);
        }
      }
      return { ...(this.withFacet ? { value: f } : {}), series };
    });
    return { facets, points };
  }
}
