import { isEventName, METHOD_NAMES, type EventName } from '../../../shared/api/names';
import { ipcChannel, ipcEventChannel, type WeirBridge } from '../../../shared/api/bridge';
import type { Envelope } from '../../../shared/api/envelope';

/** The slice of Electron's ipcRenderer the bridge uses (a fake in tests). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * `window.weir`: one function per method of the contract, each bound to its own channel,
 * and an event subscription. The page never sees ipcRenderer or an IPC event object, only
 * plain data; it cannot reach a channel the contract does not name.
 */
export function createBridge(ipc: IpcRendererLike): WeirBridge {
  const methods = Object.fromEntries(
    METHOD_NAMES.map((m) => [m, (input: unknown) => ipc.invoke(ipcChannel(m), input) as Promise<Envelope<unknown>>]),
  ) as WeirBridge['methods'];
  return {
    shell: 'electron',
    methods: Object.freeze(methods),
    on(event: EventName, listener: (payload: unknown) => void) {
      if (!isEventName(event)) throw new Error(`no API event "${String(event)}"`);
      const handler = (_e: unknown, message: unknown) => {
        const m = message as { event?: unknown; payload?: unknown } | null;
        if (m && m.event === event) listener(m.payload);
      };
      ipc.on(ipcEventChannel, handler);
      return () => {
        ipc.removeListener(ipcEventChannel, handler);
      };
    },
  };
}
