import type { ParamType } from './schema';

/** A parameter's value once typed: what a run binds and its record keeps. */
export type ParamValue = string | number | boolean;

export type CoercedParam = { ok: true; value: ParamValue } | { ok: false; problem: string };

const PROBLEM: Record<Exclude<ParamType, 'string'>, string> = {
  integer: 'expected an integer',
  number: 'expected a number',
  boolean: 'expected true or false',
  date: 'expected a date as YYYY-MM-DD',
};

/**
 * A raw parameter value (text typed in the app or given as `--param k=v`, or a default from
 * the pipeline file) as its type says, or why it does not fit. One rule for the engine and
 * the app, so the designer refuses exactly what a run would. Surrounding spaces are ignored
 * except in a string.
 */
export function coerceParam(type: ParamType, raw: ParamValue): CoercedParam {
  if (type === 'string') return { ok: true, value: String(raw) };
  const t = String(raw).trim();
  const bad: CoercedParam = { ok: false, problem: PROBLEM[type] };
  switch (type) {
    case 'integer':
    case 'number': {
      const n = typeof raw === 'number' ? raw : t === '' ? NaN : Number(t);
      return (type === 'integer' ? Number.isInteger(n) : Number.isFinite(n)) ? { ok: true, value: n } : bad;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      return /^(true|1)$/i.test(t) ? { ok: true, value: true } : /^(false|0)$/i.test(t) ? { ok: true, value: false } : bad;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(t) && !Number.isNaN(Date.parse(t)) ? { ok: true, value: t } : bad;
  }
}
