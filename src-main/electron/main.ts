// The desktop shell's main process: one window on the renderer, the API contract over IPC,
// the application menu, secrets in the OS keychain. Run logic lives in the engine, reached
// through src-main/api like every other shell.
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ipcEventChannel } from '../../shared/api/bridge';
import type { EventName, EventPayload, MenuCommand } from '../../shared/api/contract';
import { createDispatcher } from '../api/dispatch';
import { defaultWeirHome, RecentList } from '../api/home';
import { findUp } from '../api/locate';
import { createApiService } from '../api/service';
import { appUrlMatcher, registerIpcHandlers } from './ipc';
import { menuTemplate } from './menu';
import { SafeStorageSecretStore } from './secrets';
import { safeStorageKeyWrapper } from './key-wrapper';
import { DESKTOP_CSP, secureWebPreferences } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
const preloadPath = join(here, '../preload/index.cjs');
const indexHtml = join(here, '../renderer/index.html');
const devServerUrl = !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null;
const home = defaultWeirHome();

const windows = new Set<BrowserWindow>();

function templatesDir(): string | null {
  const packaged = join(process.resourcesPath, 'templates');
  if (app.isPackaged && existsSync(packaged)) return packaged;
  return findUp([app.getAppPath(), here], 'templates');
}

const service = createApiService({
  shell: 'electron',
  home,
  templatesDir: templatesDir(),
  secrets: new SafeStorageSecretStore(safeStorage, join(app.getPath('userData'), 'secrets.json')),
  keyWrapper: safeStorageKeyWrapper(safeStorage),
  environment: process.env,
  initialWorkspace: process.env.WEIR_WORKSPACE ?? null,
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const w of windows) if (!w.isDestroyed()) w.webContents.send(ipcEventChannel, { event, payload });
  },
});
const dispatch = createDispatcher(service.handlers);

function sendCommand(command: MenuCommand, path?: string): void {
  const w = BrowserWindow.getFocusedWindow() ?? [...windows][0];
  w?.webContents.send(ipcEventChannel, { event: 'menu.command', payload: path ? { command, path } : { command } });
}

async function refreshMenu(): Promise<void> {
  const recent = await new RecentList(home).existing();
  const template = menuTemplate({
    command: sendCommand,
    chooseWorkspace: () => {
      const parent = BrowserWindow.getFocusedWindow();
      const opts = { title: 'Open Workspace', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
      void (parent ? dialog.showOpenDialog(parent, opts) : dialog.showOpenDialog(opts)).then((r) => {
        if (!r.canceled && r.filePaths[0]) sendCommand('open', r.filePaths[0]);
      });
    },
    recent,
    isMac: process.platform === 'darwin',
    appName: app.name,
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Weir',
    backgroundColor: '#f6f7f9',
    webPreferences: secureWebPreferences(preloadPath),
  });
  windows.add(win);
  win.on('closed', () => windows.delete(win));
  win.once('ready-to-show', () => win.show());
  const isAppUrl = appUrlMatcher({ indexFileUrl: pathToFileURL(indexHtml).href, devServerUrl });
  // The window shows our page only: no navigation elsewhere, no new windows (links open in the browser).
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  // Closing with unsaved changes: the page's beforeunload asks; we show the question natively.
  win.webContents.on('will-prevent-unload', (e) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Close Without Saving', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: 'This pipeline has unsaved changes.',
      detail: 'A draft is kept in the workspace (.weir/drafts) and offered the next time you open it.',
    });
    if (choice === 0) e.preventDefault();
  });
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(indexHtml);
  return win;
}

app.whenReady().then(async () => {
  const policy = {
    isAppUrl: appUrlMatcher({ indexFileUrl: pathToFileURL(indexHtml).href, devServerUrl }),
    isAppWebContents: (id: number) => [...windows].some((w) => !w.isDestroyed() && w.webContents.id === id),
  };
  registerIpcHandlers(ipcMain, async (method, input) => {
    const result = await dispatch(method, input);
    if (method === 'workspace.open' || method === 'workspace.openSample' || method === 'app.start') void refreshMenu();
    return result;
  }, policy);
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  // The built page carries the same CSP in a meta tag; the dev server's hot reload needs inline scripts.
  if (!devServerUrl) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DESKTOP_CSP] } });
    });
  }
  await refreshMenu();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => service.dispose());
