import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnProfile, HistogramBin, ProfileResult } from '../../../shared/preview/results';
import { queryRows } from '../duckdb/session';
import { ident } from '../duckdb/sql';
import type { EngineContext } from '../context';
import { jsonSafe, withNodeRelation, type NodeRequest } from './preview';
import type { PreviewSession } from './preview-session';
import { describeColumns, relationRowCount } from '../duckdb/relation-stats';

/** The API contract's DTOs are these types: one definition, in shared/. */
export type { ColumnProfile, HistogramBin, ProfileResult } from '../../../shared/preview/results';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;
const TEMPORAL = /^(DATE|TIMESTAMP)/;
const BINS = 12;

async function histogram(conn: DuckDBConnection, relation: string, col: string, type: string, min: string | null, max: string | null): Promise<HistogramBin[]> {
  const c = ident(col);
  const r = ident(relation);
  if ((NUMERIC.test(type) || TEMPORAL.test(type)) && min !== null && max !== null && min !== max) {
    // Epoch seconds for dates and timestamps, so one formula bins both kinds.
    const x = TEMPORAL.test(type) ? `epoch(${c})` : `${c}::DOUBLE`;
    const rows = await queryRows(
      conn,
      `WITH b AS (SELECT min(${x}) AS lo, max(${x}) AS hi FROM ${r})
       SELECT least(floor((${x} - lo) / ((hi - lo) / ${BINS})), ${BINS - 1})::INTEGER AS bin, count(*)::BIGINT AS n,
              min(${c})::VARCHAR AS label
       FROM ${r}, b WHERE ${c} IS NOT NULL GROUP BY bin ORDER BY bin`,
    );
    return rows.map((row) => ({ label: String(row.label), count: Number(row.n) }));
  }
  const rows = await queryRows(
    conn,
    `SELECT ${c}::VARCHAR AS label, count(*)::BIGINT AS n FROM ${r} WHERE ${c} IS NOT NULL GROUP BY ALL ORDER BY n DESC, label LIMIT ${BINS}`,
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
