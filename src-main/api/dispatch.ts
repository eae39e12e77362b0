import { isMethodName, type MethodName } from '../../shared/api/contract';
import { errorBody, type Envelope } from '../../shared/api/envelope';
import { parseMethodInput, parseMethodOutput } from '../../shared/api/validate';
import { WeirError } from '../../shared/errors';
import { processSecrets } from '../engine';
import type { ApiHandlers } from './service';

export type Dispatch = (method: string, input: unknown) => Promise<Envelope<unknown>>;

/**
 * The one entry every transport calls: the method must be in the contract, its input must
 * pass the contract's schema (before any handler runs), and its output must too. Errors
 * become the envelope's one-line message, never a stack trace.
 */
export function createDispatcher(handlers: ApiHandlers): Dispatch {
  return async (method, input) => {
    try {
      if (!isMethodName(method)) throw new WeirError('usage', `no API method "${method}"`);
      const params = parseMethodInput(method, input);
      const handler = handlers[method] as (p: unknown) => Promise<unknown>;
      const result = await handler(params);
      return { ok: true, result: parseMethodOutput(method as MethodName, result) };
    } catch (e) {
      // Every value a run, preview or connection test resolved is masked here, for every method.
      const body = errorBody(e);
      return { ok: false, error: { ...body, message: processSecrets().mask(body.message) } };
    }
  };
}
