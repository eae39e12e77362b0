// Electron's binary cannot run here: the bridge is tested with a fake ipcRenderer.
import { describe, expect, it } from 'vitest';
import { ipcChannel, ipcEventChannel } from '../../../shared/api/bridge';
import { methodNames } from '../../../shared/api/contract';
import { createApiClient } from '../../../shared/api/client';
import { createBridge, type IpcRendererLike } from '../../../src-main/electron/preload/bridge';

function fakeIpcRenderer() {
  const invoked: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      invoked.push({ channel, args });
      return { ok: true, result: { recent: [] } };
    },
    on: (channel, l) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
    },
    removeListener: (channel, l) => listeners.get(channel)?.delete(l),
  };
  const emit = (message: unknown) => {
    for (const l of listeners.get(ipcEventChannel) ?? []) l({ sender: 'the IPC event object' }, message);
  };
  return { ipc, invoked, emit, listeners };
}

describe('the preload bridge (window.weir)', () => {
  it('has one function per contract method, each on its own channel', async () => {
    const { ipc, invoked } = fakeIpcRenderer();
    const bridge = createBridge(ipc);
    expect(Object.keys(bridge.methods).sort()).toEqual([...methodNames].sort());
    expect(Object.isFrozen(bridge.methods)).toBe(true);
    await bridge.methods['workspace.recent']({});
    expect(invoked).toEqual([{ channel: ipcChannel('workspace.recent'), args: [{}] }]);
  });

  it('delivers only the payload of the subscribed event, never the IPC event, and unsubscribes', () => {
    const { ipc, emit, listeners } = fakeIpcRenderer();
    const bridge = createBridge(ipc);
    const got: unknown[][] = [];
    const off = bridge.on('run.event', (...args) => got.push(args));
    emit({ event: 'menu.command', payload: { command: 'save' } });
    emit({ event: 'run.event', payload: { root: '/w', path: 'p.weir.json', event: { type: 'run_started' } } });
    expect(got).toEqual([[{ root: '/w', path: 'p.weir.json', event: { type: 'run_started' } }]]);
    off();
    expect(listeners.get(ipcEventChannel)?.size).toBe(0);
    expect(() => bridge.on('no.such.event' as never, () => {})).toThrow(/no API event/);
  });

  it('drives the same typed client as the browser shell', async () => {
    const { ipc } = fakeIpcRenderer();
    const bridge = createBridge(ipc);
    const client = createApiClient({ call: (m, input) => bridge.methods[m](input), subscribe: (e, l) => bridge.on(e, l) });
    expect(await client.call('workspace.recent', {})).toEqual({ recent: [] });
    await expect(client.call('workspace.open', { root: '' })).rejects.toThrow(/workspace\.open input/);
    // Checked before sending, with the main process's own wording (field path, then message).
    const sent: string[] = [];
    const strict = createApiClient({ call: (m, input) => (sent.push(m), bridge.methods[m](input)), subscribe: (e, l) => bridge.on(e, l) });
    await expect(strict.call('workspace.open', { root: '' })).rejects.toMatchObject({ kind: 'usage', message: expect.stringMatching(/^workspace\.open input: root: \S/) });
    expect(sent).toEqual([]);
  });
});

describe('the contract and its names', () => {
  it('defines a schema for exactly the names the preload binds', async () => {
    const { methods, events } = await import('../../../shared/api/contract');
    const { METHOD_NAMES, EVENT_NAMES } = await import('../../../shared/api/names');
    expect(Object.keys(methods).sort()).toEqual([...METHOD_NAMES].sort());
    expect(Object.keys(events).sort()).toEqual([...EVENT_NAMES].sort());
  });
});
