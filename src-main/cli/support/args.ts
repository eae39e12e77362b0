import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './exit-codes';

/** `--help` or `-h` was asked for: main prints the usage (and `details`) on stdout, exit 0. */
export class HelpRequested extends Error {
  constructor(
    readonly usage: string,
    readonly details = '',
  ) {
    super('help');
    this.name = 'HelpRequested';
  }
}

/** `--help` or `-h` before any `--`, whatever else is on the line (even a wrong option). */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/**
 * node:util parseArgs, with its errors turned into one-line usage errors; `--help`/`-h` is
 * answered with `usage` and `details` (what each option does) for every command.
 */
export function parse<T extends ParseArgsConfig['options']>(argv: string[], options: T, usage: string, details?: string) {
  if (wantsHelp(argv)) throw new HelpRequested(usage, details);
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\n.*/s, '')}\nusage: ${usage}`);
  }
}

/** `--param k=v` pairs; a value may itself contain '='. */
export function parseParamPairs(pairs: readonly string[] | undefined): Record<string, string> {
  // No prototype: `--param __proto__=x` or `constructor=x` must be a name like any other.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param expects NAME=VALUE, got "${pair}"`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

export function onePositional(positionals: string[], usage: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected one pipeline file\nusage: ${usage}`);
  return positionals[0] as string;
}
