import { isEventName, isMethodName, type EventName, type EventPayload, type MethodInput, type MethodName, type MethodOutput } from './contract';
import { ApiError, errorBody, type Envelope } from './envelope';
import { parseMethodInput } from './validate';

/** How a client reaches the main process: IPC through the preload, or HTTP + WebSocket. */
export interface Transport {
  call(method: MethodName, input: unknown): Promise<Envelope<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export interface ApiClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The renderer's typed client; inputs are checked here too so that mistakes fail early. */
export function createApiClient(transport: Transport): ApiClient {
  return {
    async call(method, input) {
      if (!isMethodName(method)) throw new ApiError({ kind: 'usage', message: `no API method "${String(method)}"` });
      try {
        parseMethodInput(method, input ?? {});
      } catch (e) {
        // The same one-line `usage` error the main process would answer, as the client's error type.
        throw new ApiError(errorBody(e));
      }
      const envelope = await transport.call(method, input ?? {});
      if (!envelope.ok) throw new ApiError(envelope.error);
      return envelope.result as MethodOutput<typeof method>;
    },
    on(event, listener) {
      if (!isEventName(event)) throw new ApiError({ kind: 'usage', message: `no API event "${String(event)}"` });
      return transport.subscribe(event, (payload) => listener(payload as EventPayload<typeof event>));
    },
  };
}
