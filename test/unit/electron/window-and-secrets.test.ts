// Electron's binary cannot run here: window options, the menu and the keychain-backed
// secret store are checked as plain modules, with a fake safeStorage.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate } from '../../../src-main/electron/menu';
import { SafeStorageSecretStore, type SafeStorageLike } from '../../../src-main/electron/secrets';
import { DESKTOP_CSP, secureWebPreferences } from '../../../src-main/electron/window';

describe('the desktop window', () => {
  it('runs the renderer isolated, sandboxed, without Node', () => {
    const p = secureWebPreferences('/app/out/preload/index.cjs');
    expect(p).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('has a strict CSP: scripts from the app only, no plugins, no framing', () => {
    expect(DESKTOP_CSP).toContain("script-src 'self'");
    expect(DESKTOP_CSP).not.toMatch(/script-src[^;]*unsafe/);
    expect(DESKTOP_CSP).toContain("object-src 'none'");
    expect(DESKTOP_CSP).toContain("frame-ancestors 'none'");
  });
});

describe('the application menu', () => {
  const flatten = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
    items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);

  it('has New, Open, Recent, Save, Save As, Run and Preview, sending commands to the page', () => {
    const sent: unknown[] = [];
    let chose = 0;
    const items = flatten(
      menuTemplate({ command: (c, p) => sent.push(p ? [c, p] : c), chooseWorkspace: () => chose++, recent: ['/work/a', '/work/b'], isMac: false, appName: 'Weir' }),
    );
    const click = (label: string) => {
      const item = items.find((i) => i.label === label);
      if (!item?.click) throw new Error(`no menu item ${label}`);
      (item.click as () => void)();
    };
    for (const label of ['New Pipeline…', 'Save', 'Save As…', 'Run', 'Preview Selected Node', '/work/b', 'Show / Hide Sidebar', 'Show / Hide Bottom Panel', 'Show / Hide Inspector']) click(label);
    click('Open Workspace…');
    expect(sent).toEqual(['new', 'save', 'saveAs', 'run', 'preview', ['openRecent', '/work/b'], 'toggleSidebar', 'togglePanel', 'toggleInspector']);
    expect(chose).toBe(1);
    // The page handles keys itself: the menu shows shortcuts without taking them.
    expect(items.find((i) => i.label === 'Save')).toMatchObject({ accelerator: 'CmdOrCtrl+S', registerAccelerator: false });
  });
});

describe('secrets in the OS keychain (safeStorage)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weir-secrets-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const fakeSafe = (backend = 'gnome_libsecret'): SafeStorageLike => ({
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (s) => Buffer.from(`enc:${Buffer.from(s).toString('hex')}`),
    decryptString: (b) => Buffer.from(b.toString().slice(4), 'hex').toString(),
  });

  it('keeps only ciphertext on disk, and reads it back in a new store', async () => {
    const file = join(dir, 'secrets.json');
    const store = new SafeStorageSecretStore(fakeSafe(), file);
    store.set('PG_PASSWORD', 'hunter2');
    expect(store.persistent).toBe(true);
    expect(await readFile(file, 'utf8')).not.toContain('hunter2');
    const again = new SafeStorageSecretStore(fakeSafe(), file);
    expect(again.list()).toEqual(['PG_PASSWORD']);
    expect(again.get('PG_PASSWORD')).toBe('hunter2');
    again.delete('PG_PASSWORD');
    expect(new SafeStorageSecretStore(fakeSafe(), file).list()).toEqual([]);
  });

  it('asks the keychain at use, not at start (on Linux it answers only once the app is ready)', () => {
    let ready = false;
    const safe = { ...fakeSafe(), isEncryptionAvailable: () => ready };
    const store = new SafeStorageSecretStore(safe, join(dir, 'secrets.json'));
    expect(store.persistent).toBe(false);
    ready = true;
    store.set('PG_PASSWORD', 'x');
    expect(store.persistent).toBe(true);
    expect(new SafeStorageSecretStore(safe, join(dir, 'secrets.json')).list()).toEqual(['PG_PASSWORD']);
  });

  it('keeps secrets in memory only where the OS has no keychain (Electron would use a fixed key)', () => {
    const file = join(dir, 'secrets.json');
    const store = new SafeStorageSecretStore(fakeSafe('basic_text'), file);
    store.set('S3_SECRET', 'abc');
    expect(store.persistent).toBe(false);
    expect(store.get('S3_SECRET')).toBe('abc');
    expect(new SafeStorageSecretStore(fakeSafe('basic_text'), file).list()).toEqual([]);
  });
});
