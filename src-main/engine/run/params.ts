import type { DuckDBConnection } from '@duckdb/node-api';
import { WeirError } from '../../../shared/errors';
import { coerceParam, type ParamValue } from '../../../shared/pipeline/params';
import type { ParamSpec, ParamType } from '../../../shared/pipeline/schema';
import { ident } from '../duckdb/sql';

export type { ParamValue };

/** The one coercion rule (shared with the app), as a usage error naming the parameter and what was given. */
function coerce(name: string, type: ParamType, raw: ParamValue): ParamValue {
  const c = coerceParam(type, raw);
  if (!c.ok) throw new WeirError('usage', `parameter ${name}: ${c.problem}, got ${JSON.stringify(raw)}`);
  return c.value;
}

/** The pipeline's parameters with defaults, overridden by `--param k=v`; unknown names refused. */
export function resolveParams(specs: Record<string, ParamSpec>, overrides: Record<string, string | number | boolean>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const name of Object.keys(overrides)) {
    if (!specs[name]) {
      const known = Object.keys(specs);
      throw new WeirError('usage', `unknown parameter "${name}"${known.length ? ` (parameters: ${known.join(', ')})` : ' (the pipeline has no parameters)'}`);
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    const raw = overrides[name] ?? spec.default;
    if (raw === undefined) throw new WeirError('usage', `parameter ${name} has no default: pass --param ${name}=VALUE`);
    out[name] = coerce(name, spec.type, raw);
  }
  return out;
}

const CAST: Record<ParamType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
};

/** Parameters become DuckDB variables, bound as values: SQL reads them with getvariable('name'). */
export async function setParamVariables(conn: DuckDBConnection, specs: Record<string, ParamSpec>, values: Record<string, ParamValue>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const type = specs[name]?.type ?? 'string';
    await conn.run(`SET VARIABLE ${ident(name)} = CAST($1 AS ${CAST[type]})`, [typeof value === 'number' && type === 'integer' ? String(value) : value]);
  }
}
