import type { ApiClient } from '../../shared/api/client';
import type { MethodName } from '../../shared/api/contract';

/**
 * Lets parts of the renderer learn how calls ended without being the caller: the SQL
 * editor's error markers follow every preview, profile and schema lookup, whoever asked.
 */
export type CallListener = (method: MethodName, input: unknown, error: unknown) => void;

const listeners = new Set<CallListener>();

export function observeCalls(listener: CallListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(method: MethodName, input: unknown, error: unknown): void {
  for (const l of listeners) {
    try {
      l(method, input, error);
    } catch {
      // an observer's failure is not the caller's
    }
  }
}

export function observed(client: ApiClient): ApiClient {
  return {
    async call(method, input) {
      try {
        const result = await client.call(method, input);
        notify(method, input, null);
        return result;
      } catch (e) {
        notify(method, input, e);
        throw e;
      }
    },
    on: (event, listener) => client.on(event, listener),
  };
}
