import type { EventName, MethodName } from './names';
import type { Envelope } from './envelope';

/**
 * What the desktop preload exposes as `window.weir`: one function per contract method
 * (generated from the contract's method list) and an event subscription. Everything
 * crossing it is plain data; the main process validates it again.
 */
export interface WeirBridge {
  shell: 'electron';
  methods: { [M in MethodName]: (input: unknown) => Promise<Envelope<unknown>> };
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

/** IPC channel names, derived from the contract. */
export const ipcChannel = (method: MethodName): string => `weir:call:${method}`;
export const ipcEventChannel = 'weir:event';
