import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, type JSX } from 'react';
import { api } from './api/client';
import { Canvas } from './canvas/Canvas';
import { Inspector } from './inspector/Inspector';
import { Dialogs } from './shell/Dialogs';
import { CommandPalette } from './shell/CommandPalette';
import { DiskChangeBanner } from './shell/DiskChangeBanner';
import { RecoveryBanner } from './shell/RecoveryBanner';
import { useShortcuts } from './shell/shortcuts';
import { Frame } from './shell/Frame';
import { StatusBar } from './shell/StatusBar';
import { startColumnWatch } from './problems/column-watch';
import { ProblemsCount } from './problems/ProblemsCount';
import { Toasts } from './shell/Toasts';
import { TopBar } from './shell/TopBar';
import { Welcome } from './shell/Welcome';
import { startAutosave } from './document/autosave';
import { startDataWiring } from './shell/data-wiring';
import { startDiskWiring } from './shell/disk-wiring';
import { openWorkspace, preview, run, runScoped, save, startApp } from './shell/commands';
import { useDoc } from './document/doc-store';
import { fitView, layout } from './canvas/edit-actions';
import { redo, undo } from './document/undo-redo';
import { useLayout } from './ui/layout-store';
import { usePanel } from './ui/panel-store';
import { useUi } from './ui/ui-store';
import { useWorkspace } from './workspace/workspace-store';
import './shell/layout.css';

function useAppWiring(): void {
  useShortcuts();
  useEffect(() => {
    const stopAutosave = startAutosave();
    const stopData = startDataWiring();
    const stopDisk = startDiskWiring();
    // The input columns that settings name (a join's keys), asked in the background: a problem before anything runs.
    const stopColumns = startColumnWatch();
    // The desktop's application menu.
    const offMenu = api.on('menu.command', ({ command, path }) => {
      const ui = useUi.getState();
      switch (command) {
        case 'new':
          return ui.openDialog('newPipeline');
        case 'open':
        case 'openRecent':
          return path ? void openWorkspace(path) : ui.openDialog('openWorkspace');
        case 'save':
          return void save();
        case 'saveAs':
          return ui.openDialog('saveAs');
        case 'run':
          return void run();
        case 'preview':
          return void preview();
        case 'undo':
          return undo();
        case 'redo':
          return redo();
        case 'toggleTheme':
          return ui.toggleTheme();
        case 'zoomToFit':
          return fitView();
        case 'autoLayout':
          return layout();
        case 'toggleSidebar':
          return useLayout.getState().toggle('sidebar');
        case 'toggleInspector':
          return useLayout.getState().toggle('inspector');
        case 'togglePanel':
          return usePanel.getState().toggleOpen();
      }
    });
    // Closing the tab or window with unsaved changes asks first (a draft is kept either way).
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (useDoc.getState().dirty) {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    void startApp();
    return () => {
      stopAutosave();
      stopData();
      stopDisk();
      stopColumns();
      offMenu();
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, []);
}

export function App(): JSX.Element {
  useAppWiring();
  const theme = useUi((s) => s.theme);
  const hasWorkspace = useWorkspace((s) => s.workspace !== null);
  const shell = useWorkspace((s) => s.shell);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const name = useDoc((s) => s.doc?.name);
  const dirty = useDoc((s) => s.dirty);
  useEffect(() => {
    document.title = name ? `${dirty ? '● ' : ''}${name} — Weir` : 'Weir';
  }, [name, dirty]);
  return (
    <div className="app" data-shell={shell ?? 'loading'}>
      <TopBar />
      <RecoveryBanner />
      <DiskChangeBanner />
      {hasWorkspace ? (
        <Frame
          canvas={
            <ReactFlowProvider>
              <Canvas runScoped={runScoped} />
            </ReactFlowProvider>
          }
          inspector={<Inspector />}
        />
      ) : (
        <Welcome />
      )}
      <StatusBar problems={<ProblemsCount />} />
      <Toasts />
      <Dialogs />
      <CommandPalette />
    </div>
  );
}
