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

const INTEGER_RANGE = `expected an integer from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;

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
      // Past 2^53 a JavaScript number no longer holds every integer (9007199254740993 would
      // silently become ...992), so larger values are refused rather than rounded.
      if (type === 'integer' && Number.isInteger(n) && !Number.isSafeInteger(n)) return { ok: false, problem: INTEGER_RANGE };
      return (type === 'integer' ? Number.isInteger(n) : Number.isFinite(n)) ? { ok: true, value: n } : bad;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      return /^(true|1)$/i.test(t) ? { ok: true, value: true } : /^(false|0)$/i.test(t) ? { ok: true, value: false } : bad;
    case 'date':
      return isCalendarDate(t) ? { ok: true, value: t } : bad;
  }
}

/** YYYY-MM-DD naming a day that exists (Date.parse takes 2024-02-30 as March 1st; DuckDB refuses it). */
function isCalendarDate(t: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  return day <= days;
}
