import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnProfile, HistogramBin, ProfileResult } from '../../../shared/preview/results';
import { queryRows } from '../duckdb/session';
import { ident } from '../duckdb/sql';
import type { EngineContext } from '../context';
import { jsonSafe, withNodeRelation, type NodeRequest } from './preview';
import type { PreviewSession } from './preview-session';
import { describeColumns, relationRowCount } from '../duckdb/relation-stats';
import { boundText, planBins } from './profile-bins';

/** The API contract's DTOs are these types: one definition, in shared/. */
export type { ColumnProfile, HistogramBin, ProfileResult } from '../../../shared/preview/results';

const NUMERIC = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|REAL|DECIMAL)/;
const TOP_VALUES = 12;

type Scale = 'number' | 'date' | 'timestamp';

function scaleOf(type: string): Scale | null {
  if (NUMERIC.test(type)) return 'number';
  if (type === 'DATE') return 'date';
  if (/^TIMESTAMP/.test(type)) return 'timestamp';
  return null;
}

const DAY = 86_400_000;

/** A bin's bound as the column's values read: a number, a date, a timestamp (UTC). */
function boundLabel(scale: Scale, value: number, width: number): string {
  if (scale === 'number') return boundText(value, width);
  const iso = new Date(scale === 'date' ? value * DAY : value * 1000).toISOString();
  return scale === 'date' ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}

/**
 * Numbers, dates and timestamps: every bin of the plan (empty ones too, so gaps show), each with
 * its lower bound (and upper, where a bin is wider than one value). Other types, and a column of
 * one value: its most frequent values.
 */
async function histogram(conn: DuckDBConnection, relation: string, col: string, type: string, min: string | null, max: string | null): Promise<HistogramBin[]> {
  const c = ident(col);
  const r = ident(relation);
  const scale = scaleOf(type);
  if (scale && min !== null && max !== null && min !== max) {
    // One scale for the arithmetic: numbers as doubles, dates in days, timestamps in epoch seconds.
    const x = scale === 'number' ? `${c}::DOUBLE` : scale === 'date' ? `(${c} - DATE '1970-01-01')::DOUBLE` : `epoch(${c})`;
    const [st] = await queryRows(
      conn,
      `SELECT count(${x})::BIGINT AS n, min(${x}) AS lo, max(${x}) AS hi, quantile_cont(${x}, 0.25) AS q1, quantile_cont(${x}, 0.75) AS q3 FROM ${r}`,
    );
    const plan = st
      ? planBins({ n: Number(st.n), min: Number(st.lo), max: Number(st.hi), q1: Number(st.q1), q3: Number(st.q3), integer: scale === 'date' || /INT/.test(type) })
      : null;
    if (plan) {
      const rows = await queryRows(
        conn,
        `SELECT least(greatest(floor((${x} - (${plan.start})::DOUBLE) / (${plan.width})::DOUBLE), 0), ${plan.count - 1})::INTEGER AS bin, count(*)::BIGINT AS n
         FROM ${r} WHERE ${c} IS NOT NULL GROUP BY bin`,
      );
      const counts = new Map(rows.map((row) => [Number(row.bin), Number(row.n)]));
      const single = plan.width === 1 && (scale === 'date' || /INT/.test(type));
      return Array.from({ length: plan.count }, (_, i) => {
        const lower = plan.start + i * plan.width;
        return {
          label: boundLabel(scale, lower, plan.width),
          ...(single ? {} : { upper: boundLabel(scale, lower + plan.width, plan.width) }),
          count: counts.get(i) ?? 0,
        };
      });
    }
  }
  const rows = await queryRows(
    conn,
    `SELECT ${c}::VARCHAR AS label, count(*)::BIGINT AS n FROM ${r} WHERE ${c} IS NOT NULL GROUP BY ALL ORDER BY n DESC, label LIMIT ${TOP_VALUES}`,
  );
  return rows.map((row) => ({ label: String(row.label), count: Number(row.n) }));
}

/** Per column: nulls, distinct values, min, max and a small histogram (the preview's profile tab); in `session` when given. */
export async function profileNode(engine: EngineContext, req: NodeRequest, session?: PreviewSession): Promise<ProfileResult> {
  const t0 = performance.now();
  return withNodeRelation(
    engine,
    req,
    async (conn, node) => {
      // Every column takes a few queries: computing a view's rows once, not once per query,
      // turns seconds into milliseconds on a mid-graph node. Dropped after: a warm session
      // keeps the connection, and a temp table would hold the rows and hide a node of that name.
      try {
        return await profileRows(conn, node, req.nodeId, t0);
      } finally {
        await conn.run(`DROP TABLE IF EXISTS temp.main.${ident(PROFILED)}`).catch(() => {});
      }
    },
    session,
  );
}

const PROFILED = '__weir_profile';

async function profileRows(conn: DuckDBConnection, node: string, nodeId: string, t0: number): Promise<ProfileResult> {
  const relation = PROFILED;
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(relation)} AS SELECT * FROM ${ident(node)}`);
  const cols = await describeColumns(conn, relation);
  const rows = await relationRowCount(conn, relation);
  const columns: ColumnProfile[] = [];
  for (const { name, type } of cols) {
    const c = ident(name);
    const orderable = !/^(STRUCT|MAP|UNION|JSON)|\[\]$/.test(type);
    const [s] = await queryRows(
      conn,
      `SELECT count(*) - count(${c}) AS nulls, count(DISTINCT ${c}) AS distinct_values${
        orderable ? `, min(${c})::VARCHAR AS min_v, max(${c})::VARCHAR AS max_v` : ''
      } FROM ${ident(relation)}`,
    );
    const min = s?.min_v === undefined || s.min_v === null ? null : String(s.min_v);
    const max = s?.max_v === undefined || s.max_v === null ? null : String(s.max_v);
    columns.push({
      name,
      type,
      rows,
      nulls: Number(s?.nulls ?? 0),
      distinct: Number(s?.distinct_values ?? 0),
      min,
      max,
      histogram: orderable ? ((await histogram(conn, relation, name, type, min, max)).map((b) => jsonSafe(b)) as HistogramBin[]) : [],
    });
  }
  return { nodeId, rows, columns, elapsedMs: Math.round(performance.now() - t0) };
}
