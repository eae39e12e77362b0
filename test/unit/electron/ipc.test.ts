// Electron's binary cannot be downloaded on these build machines, so nothing here starts
// Electron: the IPC handler module, the preload bridge and the secret store take the small
// slices of Electron they use as parameters, and these tests hand them fakes.
import { describe, expect, it, vi } from 'vitest';
import { ipcChannel, ipcEventChannel } from '../../../shared/api/bridge';
import { methodNames } from '../../../shared/api/contract';
import { createDispatcher } from '../../../src-main/api/dispatch';
import type { ApiHandlers } from '../../../src-main/api/service';
import { appUrlMatcher, registerIpcHandlers, type IpcEventLike, type IpcMainLike } from '../../../src-main/electron/ipc';

const APP = 'file:///opt/weir/resources/app.asar/out/renderer/index.html';

function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

/** Handlers that record calls; the dispatcher in front of them is the real one. */
function spyHandlers() {
  const calls: { method: string; params: unknown }[] = [];
  const handlers = Object.fromEntries(
    methodNames.map((m) => [m, vi.fn(async (params: unknown) => {
      calls.push({ method: m, params });
      if (m === 'workspace.recent') return { recent: ['/w'] };
      if (m === 'secrets.list') return { names: [], persistent: true };
      return {};
    })]),
  ) as unknown as ApiHandlers;
  return { handlers, calls };
}

const event = (over: Partial<{ url: string; parent: unknown; id: number; noFrame: boolean }> = {}): IpcEventLike => ({
  senderFrame: over.noFrame ? null : { url: over.url ?? `${APP}#/`, parent: over.parent ?? null },
  sender: { id: over.id ?? 1 },
});

function setup() {
  const { ipcMain, handlers } = fakeIpcMain();
  const spy = spyHandlers();
  const unregister = registerIpcHandlers(ipcMain, createDispatcher(spy.handlers), {
    isAppUrl: appUrlMatcher({ indexFileUrl: APP }),
    isAppWebContents: (id) => id === 1,
  });
  const invoke = (method: string, ev: IpcEventLike, ...args: unknown[]) => {
    const h = handlers.get(ipcChannel(method as never));
    if (!h) throw new Error(`no handler for ${method}`);
    return h(ev, ...args);
  };
  return { channels: handlers, invoke, unregister, calls: spy.calls };
}

describe('IPC handlers (registered from the contract)', () => {
  it('registers one channel per contract method, and removes them all', () => {
    const { channels: handlers, unregister } = setup();
    expect([...handlers.keys()].sort()).toEqual(methodNames.map(ipcChannel).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('answers a valid call from the app page', async () => {
    const { invoke, calls } = setup();
    expect(await invoke('workspace.recent', event(), {})).toEqual({ ok: true, result: { recent: ['/w'] } });
    expect(calls).toEqual([{ method: 'workspace.recent', params: {} }]);
  });

  it('validates input with the contract schema before the handler runs', async () => {
    const { invoke, calls } = setup();
    const cases: [string, unknown, RegExp][] = [
      ['workspace.open', { root: 'not/absolute' }, /workspace\.open input/],
      ['workspace.open', { root: '/ok', extra: 1 }, /extra/],
      ['pipeline.read', { root: '/w', path: '../../../etc/shadow.weir.json' }, /inside the workspace/],
      ['pipeline.read', { root: '/w', path: 'pipelines/x.json' }, /\*\.weir\.json/],
      ['pipeline.save', { root: '/w', path: 'p.weir.json', pipeline: { format: 'weir.pipeline', version: 1, name: 'x; drop', nodes: [] } }, /pipeline\.name/],
      ['secrets.set', { name: 'A B', value: 'x' }, /secret name/],
      ['run.cancel', 'just a string', /run\.cancel input/],
    ];
    for (const [method, input, message] of cases) {
      const r = (await invoke(method, event(), input)) as { ok: boolean; error: { kind: string; message: string } };
      expect(r.ok, method).toBe(false);
      expect(r.error.kind, r.error.message).toBe("usage");
      expect(r.error.message).toMatch(message);
    }
    expect(calls).toEqual([]);
  });

  it('refuses callers that are not the top frame of an app window showing the app page', async () => {
    const { invoke, calls } = setup();
    const refusals: [IpcEventLike, RegExp][] = [
      [event({ url: 'https://evil.example/page' }), /calls from https:\/\/evil\.example are refused/],
      [event({ url: 'file:///tmp/downloaded.html' }), /are refused/],
      [event({ parent: { url: APP } }), /sub-frame/],
      [event({ id: 2 }), /another window/],
      [event({ noFrame: true }), /frame is gone/],
    ];
    for (const [ev, message] of refusals) {
      const r = (await invoke('workspace.recent', ev, {})) as { ok: boolean; error: { message: string } };
      expect(r.ok).toBe(false);
      expect(r.error.message).toMatch(message);
    }
    expect(calls).toEqual([]);
  });

  it('refuses extra arguments', async () => {
    const { invoke, calls } = setup();
    const r = (await invoke('workspace.recent', event(), {}, { sneaky: true })) as { ok: boolean };
    expect(r.ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it('accepts the dev server origin only when one is configured', () => {
    const prod = appUrlMatcher({ indexFileUrl: APP });
    const dev = appUrlMatcher({ indexFileUrl: APP, devServerUrl: 'http://localhost:5173/' });
    expect(prod('http://localhost:5173/')).toBe(false);
    expect(dev('http://localhost:5173/#x')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(prod(`${APP}?q=1`)).toBe(true);
  });

  it('uses the event channel the preload listens on', () => {
    expect(ipcEventChannel).toBe('weir:event');
  });
});
