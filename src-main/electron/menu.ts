import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/api/contract';

export interface MenuActions {
  /** Sends a command to the renderer, which owns the document. */
  command(command: MenuCommand, path?: string): void;
  /** Shows the native folder chooser, then opens what was chosen. */
  chooseWorkspace(): void;
  recent: readonly string[];
  isMac: boolean;
  appName: string;
}

/**
 * The application menu. The renderer handles the keyboard itself (the browser shell has no
 * menu), so these items show their shortcuts without registering them: a key press reaches
 * the page once, and text fields keep their own undo.
 */
export function menuTemplate(a: MenuActions): MenuItemConstructorOptions[] {
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator: false,
    click: () => a.command(command),
  });
  const recent: MenuItemConstructorOptions[] = a.recent.length
    ? a.recent.map((path) => ({ label: path, click: () => a.command('openRecent', path) }))
    : [{ label: 'No recent workspaces', enabled: false }];
  const appMenu: MenuItemConstructorOptions[] = a.isMac
    ? [{ label: a.appName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { type: 'separator' }, { role: 'quit' }] }]
    : [];
  return [
    ...appMenu,
    {
      label: 'File',
      submenu: [
        item('New Pipeline…', 'new', 'CmdOrCtrl+Alt+N'),
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => a.chooseWorkspace() },
        { label: 'Open Recent', submenu: recent },
        { type: 'separator' },
        item('Save', 'save', 'CmdOrCtrl+S'),
        item('Save As…', 'saveAs', 'CmdOrCtrl+Shift+S'),
        ...(a.isMac ? [] : ([{ type: 'separator' }, { role: 'quit' }] as MenuItemConstructorOptions[])),
      ],
    },
    {
      label: 'Edit',
      submenu: [
        item('Undo', 'undo', 'CmdOrCtrl+Z'),
        item('Redo', 'redo', 'CmdOrCtrl+Shift+Z'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'Pipeline',
      submenu: [item('Run', 'run', 'CmdOrCtrl+Enter'), item('Preview Selected Node', 'preview', 'CmdOrCtrl+P'), { type: 'separator' }, item('Auto Layout', 'autoLayout', 'CmdOrCtrl+Shift+L')],
    },
    {
      label: 'View',
      submenu: [
        item('Zoom to Fit', 'zoomToFit', 'CmdOrCtrl+0'),
        item('Toggle Dark Theme', 'toggleTheme', 'CmdOrCtrl+Shift+D'),
        { type: 'separator' },
        item('Show / Hide Sidebar', 'toggleSidebar', 'CmdOrCtrl+B'),
        item('Show / Hide Bottom Panel', 'togglePanel', 'CmdOrCtrl+J'),
        item('Show / Hide Inspector', 'toggleInspector', 'CmdOrCtrl+Alt+B'),
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
  ];
}
