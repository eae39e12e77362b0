import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './exit-codes';

/** node:util parseArgs, with its errors turned into one-line usage errors. */
export function parse<T extends ParseArgsConfig['options']>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\n.*/s, '')}\nusage: ${usage}`);
  }
}

/** `--param k=v` pairs; a value may itself contain '='. */
export function parseParamPairs(pairs: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
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
