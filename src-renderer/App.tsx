import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, type JSX } from 'react';
import { api } from './api/client';
import { Canvas } from './canvas/Canvas';
import { Inspector } from './inspector/Inspector';
import { BottomPanel } from './shell/BottomPanel';
import { Dialogs } from './shell/Dialogs';
import { RecoveryBanner } from './shell/RecoveryBanner';
import { useShortcuts } from './shell/shortcuts';
import { Sidebar } from './shell/Sidebar';
import { StatusBar } from './shell/StatusBar';
import { startColumnWatch } from './problems/column-watch';
import { ProblemsCount } from './problems/ProblemsCount';
import { Toasts } from './shell/Toasts';
import { TopBar } from './shell/TopBar';
import { startAutosave } from './document/autosave';
import { startDataWiring } from './shell/data-wiring';
import { openWorkspace, preview, run, save, startApp } from './shell/commands';
import { useDoc } from './document/doc-store';
import { fitView, layout } from './canvas/edit-actions';
import { redo, undo } from './document/undo-redo';
import { useUi } from './ui/ui-store';
import { useWorkspace } from './workspace/workspace-store';
import './shell/layout.css';

function useAppWiring(): void {
  useShortcuts();
  useEffect(() => {
    const stopAutosave = startAutosave();
    const stopData = startDataWiring();
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
      stopColumns();
      offMenu();
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, []);
}

function Welcome(): JSX.Element {
  const notice = useWorkspace((s) => s.notice);
  return (
    <div className="welcome">
      <h1>Weir</h1>
      <p>Open a workspace folder to design its pipelines.</p>
      {notice && <p className="muted">{notice}</p>}
      <button type="button" className="btn primary" onClick={() => useUi.getState().openDialog('openWorkspace')}>
        Open workspace…
      </button>
    </div>
  );
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
      {hasWorkspace ? (
        <div className="main">
          <Sidebar />
          <div className="center">
            <ReactFlowProvider>
              <Canvas />
            </ReactFlowProvider>
            <BottomPanel />
          </div>
          <Inspector />
        </div>
      ) : (
        <Welcome />
      )}
      <StatusBar problems={<ProblemsCount />} />
      <Toasts />
      <Dialogs />
    </div>
  );
}
