// The desktop shell reaches the same service as the browser shell: its IPC handlers in front
// of the real API service (no Electron started; see ipc.test.ts), so the open-workspace rule
// holds in the window exactly as it does over HTTP.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ipcChannel } from '../../../shared/api/bridge';
import type { MethodName } from '../../../shared/api/contract';
import type { Envelope } from '../../../shared/api/envelope';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { createDispatcher } from '../../../src-main/api/dispatch';
import { MemorySecretStore } from '../../../src-main/api/secrets';
import { createApiService } from '../../../src-main/api/service';
import { appUrlMatcher, registerIpcHandlers, type IpcEventLike, type IpcMainLike } from '../../../src-main/electron/ipc';
import { treeHashes } from '../../support/find-files';
import { tempDir } from '../../support/temp-dir';
import { samplePipeline } from '../api/fixture';

const APP = 'file:///opt/weir/resources/app.asar/out/renderer/index.html';
const FILE = 'pipelines/release.weir.json';
const fromApp: IpcEventLike = { senderFrame: { url: APP, parent: null }, sender: { id: 1 } };

let base: string;
let ws: string;
let other: string;

beforeAll(async () => {
  base = tempDir('weir-ipc-ws-');
  ws = join(base, 'ws');
  other = join(base, 'other');
  for (const dir of [ws, other]) {
    await mkdir(join(dir, 'pipelines'), { recursive: true });
    await writeFile(join(dir, FILE), serializePipeline(samplePipeline()));
  }
  await symlink(join(other, FILE), join(ws, 'pipelines', 'link.weir.json'));
});

/** The desktop's wiring (src-main/electron/main.ts) with a fake ipcMain: invoke(method, input) as the window would. */
function desktop() {
  const channels = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = { handle: (c, l) => void channels.set(c, l), removeHandler: (c) => void channels.delete(c) };
  const service = createApiService({ shell: 'electron', home: join(base, 'home'), templatesDir: null, secrets: new MemorySecretStore(), environment: process.env, emit: () => undefined });
  registerIpcHandlers(ipcMain, createDispatcher(service.handlers), { isAppUrl: appUrlMatcher({ indexFileUrl: APP }), isAppWebContents: (id) => id === 1 });
  return (method: MethodName, input: unknown) => channels.get(ipcChannel(method))!(fromApp, input) as Promise<Envelope<unknown>>;
}

describe('the desktop window works in the one open workspace', () => {
  it('refuses every root until a folder is opened, then any other folder, and links out of it', async () => {
    const invoke = desktop();
    const before = treeHashes(other);
    expect(await invoke('pipeline.read', { root: ws, path: FILE })).toEqual({ ok: false, error: { kind: 'usage', message: `no workspace is open: open ${ws} first` } });

    expect(await invoke('workspace.open', { root: ws })).toMatchObject({ ok: true, result: { root: ws } });
    expect(await invoke('pipeline.read', { root: ws, path: FILE })).toMatchObject({ ok: true, result: { pipeline: { name: 'release' } } });
    for (const [method, input] of [
      ['pipeline.read', { root: other, path: FILE }],
      ['pipeline.save', { root: other, path: FILE, pipeline: { ...samplePipeline(), name: 'overwritten' } }],
      ['drafts.save', { root: other, path: FILE, text: 'x', baseSha256: null }],
      ['connections.save', { root: other, environment: 'dev', name: 'lake', spec: { kind: 'folder', path: '.' } }],
    ] as const) {
      expect(await invoke(method, input), method).toEqual({ ok: false, error: { kind: 'usage', message: `${other} is not the open workspace (${ws}); the designer works in one workspace at a time` } });
    }
    expect(await invoke('pipeline.save', { root: ws, path: 'pipelines/link.weir.json', pipeline: samplePipeline() })).toEqual({
      ok: false,
      error: { kind: 'usage', message: `"pipelines/link.weir.json" leads outside the workspace ${ws} (through a symbolic link)` },
    });
    expect(treeHashes(other)).toEqual(before);
  });

  it('follows the folder the user picks in the native dialog: that one becomes the open workspace', async () => {
    const invoke = desktop();
    await invoke('workspace.open', { root: ws });
    // The menu's Open Workspace sends the chosen folder to the page, which opens it through the same call.
    expect(await invoke('workspace.open', { root: other })).toMatchObject({ ok: true });
    expect(await invoke('pipeline.read', { root: other, path: FILE })).toMatchObject({ ok: true });
    expect(await invoke('pipeline.read', { root: ws, path: FILE })).toMatchObject({ ok: false, error: { kind: 'usage' } });
    // The desktop has no pinned folder: the in-app folder chooser still browses (names only).
    expect(await invoke('fs.listFolders', { path: base })).toMatchObject({ ok: true, result: { folders: expect.arrayContaining([expect.objectContaining({ name: 'ws' })]) } });
  });
});
