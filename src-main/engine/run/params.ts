import type { DuckDBConnection } from '@duckdb/node-api';
import { WeirError } from '../../../shared/errors';
import type { ParamSpec, ParamType } from '../../../shared/pipeline/schema';
import { ident } from '../duckdb/sql';

export type ParamValue = string | number | boolean;

function coerce(name: string, type: ParamType, raw: string | number | boolean): ParamValue {
  const bad = (): never => {
    throw new WeirError('usage', `parameter ${name}: expected ${type === 'integer' ? 'an integer' : `a ${type}`}, got ${JSON.stringify(raw)}`);
  };
  switch (type) {
    case 'string':
      return String(raw);
    case 'integer': {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      return Number.isInteger(n) && String(raw).trim() !== '' ? n : bad();
    }
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      return Number.isFinite(n) && String(raw).trim() !== '' ? n : bad();
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).toLowerCase();
      return s === 'true' || s === '1' ? true : s === 'false' || s === '0' ? false : bad();
    }
    case 'date': {
      const s = String(raw);
      return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? s : bad();
    }
  }
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
