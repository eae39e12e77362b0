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

/** A method's input checked against the contract; a one-line `usage` error names the field. */
export function parseMethodInput<M extends MethodName>(name: M, raw: unknown): MethodParams<M> {
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
