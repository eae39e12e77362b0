import type { z } from 'zod';
import { jsonPath, WeirError } from '../errors';
import { methods, type MethodName, type MethodParams } from './contract';

function describe(where: string, error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return `${where}: invalid input`;
  const at = jsonPath(first.path);
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${where}: ${at ? `${at}: ` : ''}${first.message}${more}`;
}

/**
 * How deep a request may nest: a pipeline document may nest 64 levels (MAX_JSON_DEPTH, as in a
 * file), and a request holds it a few levels down. Deeper input is refused before the schema
 * sees it: the schema's walk, canonical JSON and the document's hash recurse, and a document
 * nested a hundred thousand levels (a few hundred KB from an MCP client or a page) overflowed
 * the stack as an "internal error" instead of saying what was wrong.
 */
export const MAX_REQUEST_DEPTH = 72;

/** The JSON path of the first value nested deeper than `max`, or null; iterative, so it cannot overflow itself. */
export function tooDeepAt(value: unknown, max: number): string | null {
  const seen = new Set<object>();
  const stack: { v: unknown; depth: number; path: (string | number)[] }[] = [{ v: value, depth: 0, path: [] }];
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (!v || typeof v !== 'object' || seen.has(v)) continue;
    if (depth >= max) return jsonPath(path) || '(the input)';
    seen.add(v);
    for (const [k, child] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
      if (child && typeof child === 'object') stack.push({ v: child, depth: depth + 1, path: path.length < 8 ? [...path, typeof k === 'string' ? k.slice(0, 40) : k] : path });
    }
  }
  return null;
}

/** A method's input checked against the contract; a one-line `usage` error names the field. */
export function parseMethodInput<M extends MethodName>(name: M, raw: unknown): MethodParams<M> {
  const deep = tooDeepAt(raw, MAX_REQUEST_DEPTH);
  if (deep !== null) throw new WeirError('usage', `${name} input: nested more than ${MAX_REQUEST_DEPTH} levels deep (at ${deep}…)`);
  const result = methods[name].input.safeParse(raw === undefined ? {} : raw);
  if (!result.success) throw new WeirError('usage', describe(`${name} input`, result.error));
  return result.data as MethodParams<M>;
}

/** A handler's answer checked against the contract before it leaves the main process. */
export function parseMethodOutput(name: MethodName, value: unknown): unknown {
  const result = methods[name].output.safeParse(value);
  if (!result.success) throw new WeirError('internal', describe(`${name} output`, result.error));
  return result.data;
}
