import type { DuckDBConnection } from '@duckdb/node-api';
import { WeirError, jsonPath } from '../../../shared/errors';
import { coerceParam, type ParamValue } from '../../../shared/pipeline/params';
import type { ParamSpec, ParamType } from '../../../shared/pipeline/schema';
import { ident } from '../duckdb/sql';

export type { ParamValue };

/** Why a parameter cannot be used as given; `path` is set when the file (not the command line) is at fault. */
export interface ParamProblem {
  name: string;
  message: string;
  path?: string;
}

/** The one coercion rule (shared with the app), as a message naming the parameter and what was given. */
function coerceProblem(name: string, type: ParamType, raw: ParamValue): string | null {
  const c = coerceParam(type, raw);
  return c.ok ? null : `parameter ${name}: ${c.problem}, got ${JSON.stringify(raw)}`;
}

/** Defaults in the file that do not fit their own parameter's type. */
export function paramDefaultProblems(specs: Record<string, ParamSpec>): ParamProblem[] {
  const out: ParamProblem[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.default === undefined) continue;
    const c = coerceParam(spec.type, spec.default);
    if (!c.ok) out.push({ name, path: jsonPath(['params', name, 'default']), message: `parameter ${name}: the default ${JSON.stringify(spec.default)} does not fit its type ${spec.type} (${c.problem})` });
  }
  return out;
}

/** What is wrong with the values a run gets (`--param k=v` over the defaults): unknown names, values that do not fit, missing values. */
export function paramValueProblems(specs: Record<string, ParamSpec>, overrides: Record<string, string | number | boolean>): ParamProblem[] {
  const out: ParamProblem[] = [];
  const known = Object.keys(specs);
  for (const name of Object.keys(overrides)) {
    if (!Object.hasOwn(specs, name)) {
      out.push({ name, message: `unknown parameter "${name}"${known.length ? ` (parameters: ${known.join(', ')})` : ' (the pipeline has no parameters)'}` });
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    const given = Object.hasOwn(overrides, name) ? overrides[name] : undefined;
    if (given === undefined) {
      if (spec.default === undefined) out.push({ name, message: `parameter ${name} has no default: pass --param ${name}=VALUE` });
      continue; // a bad default is the file's problem (paramDefaultProblems)
    }
    const problem = coerceProblem(name, spec.type, given);
    if (problem) out.push({ name, message: problem });
  }
  return out;
}

/** The pipeline's parameters with defaults, overridden by `--param k=v`; unknown names refused. */
export function resolveParams(specs: Record<string, ParamSpec>, overrides: Record<string, string | number | boolean>): Record<string, ParamValue> {
  const first = paramValueProblems(specs, overrides)[0];
  if (first) throw new WeirError('usage', first.message);
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = (Object.hasOwn(overrides, name) ? overrides[name] : undefined) ?? (spec.default as ParamValue);
    const c = coerceParam(spec.type, raw);
    if (!c.ok) throw new WeirError('usage', coerceProblem(name, spec.type, raw) as string);
    out[name] = c.value;
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
