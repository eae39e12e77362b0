import type { DuckDBConnection } from '@duckdb/node-api';
import { WeirError } from '../../../shared/errors';
import type { PreviewFilter, PreviewSort } from '../../../shared/preview/query';
import type { PreviewResult } from '../../../shared/preview/results';
import type { EngineContext } from '../context';
import { ident } from '../duckdb/sql';
import { inSession, type NodeRequest, type PreviewSession } from './preview-session';
import { describeColumns, relationRowCount } from '../duckdb/relation-stats';
import { describeDuckdbError, isInterrupt } from '../duckdb/sql-error';
import { queryRows } from '../duckdb/session';
import { filteredFrom, previewQuery, shapes, type PreviewShape } from './preview-query';

export type { NodeRequest } from './preview-session';

export interface PreviewRequest extends NodeRequest {
  limit?: number;
  /** Also count every row of the node (a full computation of it); with a filter, the rows that pass it. */
  count?: boolean;
  /** The order of the rows, by DuckDB over the whole relation (first key first). */
  orderBy?: readonly PreviewSort[];
  /** Only the rows that pass every one of these (by DuckDB over the whole relation). */
  filter?: readonly PreviewFilter[];
}

/** The API contract's DTOs are these types: one definition, in shared/. */
export type { PreviewColumn, PreviewResult } from '../../../shared/preview/results';

export function jsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return `\\x${Buffer.from(v).toString('hex')}`;
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

/** Column types whose JS values are already what JSON carries (numbers, strings, booleans, null). */
const PLAIN_TYPES = new Set(['BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'FLOAT', 'DOUBLE', 'VARCHAR']);

/** `jsonSafe` for the columns that need it only: a preview's rows are converted on every keystroke's preview. */
function jsonSafeRows(rows: unknown[][], types: readonly string[]): unknown[][] {
  const convert = types.map((t) => !PLAIN_TYPES.has(t));
  if (!convert.some(Boolean)) return rows;
  for (const row of rows) for (let i = 0; i < row.length; i++) if (convert[i] ?? true) row[i] = jsonSafe(row[i]);
  return rows;
}

/**
 * Materializes what one node needs (the node and its upstream; sinks never run, and a sink
 * stands for the rows it would write) and hands its relation to `use`: in `session` when
 * given (the designer's warm session of the pipeline), else in a session of its own.
 * Previews, profiles and column lookups for completion all come through here.
 */
export function withNodeRelation<T>(
  engine: EngineContext,
  req: NodeRequest,
  use: (conn: DuckDBConnection, relation: string) => Promise<T>,
  session?: PreviewSession,
): Promise<T> {
  return inSession(engine, req, session, use);
}

/** The first rows of one node; DuckDB stops early on a LIMIT over views. */
export async function previewNode(engine: EngineContext, req: PreviewRequest, session?: PreviewSession): Promise<PreviewResult> {
  const t0 = performance.now();
  return withNodeRelation(
    engine,
    req,
    async (conn, relation) => {
      const limit = Math.max(0, Math.min(req.limit ?? 1000, 100_000));
      const shaped = shapes(req);
      // Sorting and filtering need the relation's columns (a name must be one of them); the plain preview does not.
      const shape: PreviewShape | null = shaped ? { columns: (await describeColumns(conn, relation)).map((c) => c.name), orderBy: req.orderBy, filter: req.filter } : null;
      const reader = shape
        ? await shapedQuery(() => conn.runAndReadAll(previewQuery(relation, shape, limit)))
        : await conn.runAndReadAll(`SELECT * FROM ${ident(relation)} LIMIT ${limit}`);
      const names = reader.columnNames();
      const types = reader.columnTypes().map(String);
      const rows = jsonSafeRows(reader.getRowsJS(), types);
      let rowCount: number | null = rows.length < limit ? rows.length : null;
      if (req.count && rowCount === null) {
        rowCount = shape
          ? Number((await shapedQuery(() => queryRows(conn, `SELECT count(*)::BIGINT AS n ${filteredFrom(relation, shape)}`)))[0]?.n ?? 0)
          : await relationRowCount(conn, relation);
      }
      return {
        nodeId: req.nodeId,
        columns: names.map((name, i) => ({ name, type: types[i] ?? 'UNKNOWN' })),
        rows,
        rowCount,
        elapsedMs: Math.round(performance.now() - t0),
      };
    },
    session,
  );
}

/**
 * Runs a sorted or filtered preview query. The node itself is computed by then, so a DuckDB
 * error here is the filter's (a value that does not convert to the column's type): said as
 * such, not as the node's failure, which would mark a line of its SQL that is not at fault.
 */
async function shapedQuery<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof WeirError || isInterrupt(e)) throw e;
    throw new WeirError('usage', `the filter cannot be applied: ${describeDuckdbError(e).message}`);
  }
}
