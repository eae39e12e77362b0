import { WeirError } from '../../../../shared/errors';
import type { HttpSourceConfig } from '../../../../shared/nodes/http-source';
import { queryRows } from '../../duckdb/session';
import { ident } from '../../duckdb/sql';
import type { RunContext } from '../types';
import type { InputValue } from './fill';

/** A DuckDB value as a request (and a JSON record) can carry it. */
function asInputValue(v: unknown, who: string, column: string): InputValue {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  throw new WeirError('node', `${who}: for_each column "${column}" holds a value that is not text, a number or a boolean (cast it upstream)`);
}

/**
 * The distinct values of the input's `for_each.column`, in order, nulls left out: one request
 * (with its own pagination) each. More than `max_values` fails the node before any request.
 */
export async function inputValues(ctx: RunContext<HttpSourceConfig>, who: string): Promise<InputValue[]> {
  const each = ctx.config.for_each;
  const input = ctx.inputs[0];
  if (!each || !input) return [];
  const col = ident(each.column);
  let rows;
  try {
    rows = await queryRows(ctx.conn, `SELECT DISTINCT ${col} AS v FROM ${ident(input.name)} WHERE ${col} IS NOT NULL ORDER BY 1 LIMIT ${each.max_values + 1}`);
  } catch (e) {
    throw new WeirError('node', `${who}: cannot read for_each column "${each.column}" of "${input.name}": ${(e as Error).message.split('\n')[0]}`);
  }
  if (rows.length > each.max_values) {
    throw new WeirError('node', `${who}: "${input.name}"."${each.column}" has more than ${each.max_values} distinct values (max_values): one request each would be too many`);
  }
  return rows.map((r) => asInputValue(r.v, who, each.column));
}
