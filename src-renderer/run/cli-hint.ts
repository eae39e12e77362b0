import { coerceParam } from '../../shared/pipeline/params';
import type { ParamSpec, ParamType } from '../../shared/pipeline/schema';

/** A value of each type, for a parameter that has neither a valid value here nor a default. */
const EXAMPLE: Record<ParamType, string> = {
  string: 'VALUE',
  integer: '1',
  number: '1.5',
  boolean: 'true',
  date: '2026-01-31',
};

/** As a POSIX shell reads it: plain words bare, anything else in single quotes. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The value a headless run would be given: the one typed here when the type takes it, else the default, else an example of the type. */
export function cliValue(spec: ParamSpec, typed: string | undefined): string {
  if (typed !== undefined && typed !== '') {
    const c = coerceParam(spec.type, typed);
    if (c.ok) return String(c.value);
  }
  if (spec.default !== undefined) return String(spec.default);
  return EXAMPLE[spec.type];
}

/**
 * The command that runs this pipeline on a server with the values of this app's Parameters tab:
 * `weir run <path> --param name=value …`. Every value is one the run accepts (a value typed
 * here that does not fit the parameter's type is not copied into it).
 */
export function cliHint(path: string, specs: Record<string, ParamSpec>, typed: Record<string, string>): string {
  const params = Object.entries(specs).map(([name, spec]) => `--param ${shellWord(`${name}=${cliValue(spec, typed[name])}`)}`);
  return ['weir run', shellWord(path), ...params].join(' ');
}
