import type { JSX } from 'react';
import { cancelRun, preview, run, save } from './commands';
import { useDoc } from '../document/doc-store';
import { fitView, layout } from '../canvas/edit-actions';
import { redo, undo } from '../document/undo-redo';
import { RunControls } from '../run/RunControls';
import { useUi } from '../ui/ui-store';
import { useWorkspace } from '../workspace/workspace-store';
import { useActiveEnvironment } from '../run/run-options';
import { EnvironmentBadge } from './EnvironmentBadge';
import { EnvironmentSwitch } from './EnvironmentSwitch';
import { Icon } from './Icon';
import { LayoutToggles } from './LayoutToggles';
import { useSessionRefusal } from './session';
import { shortcutLabel } from './shortcuts';
import './top-bar.css';

function ToolButton({ icon, label, keys, onClick, disabled, testId, primary }: { icon: string; label: string; keys?: string; onClick(): void; disabled?: boolean; testId?: string; primary?: boolean }): JSX.Element {
  return (
    <button type="button" className={`tool${primary ? ' primary' : ''}`} onClick={onClick} disabled={disabled} title={keys ? `${label} (${shortcutLabel(keys)})` : label} aria-label={label} data-testid={testId}>
      <Icon name={icon} />
      {primary && <span>{label}</span>}
    </button>
  );
}

export function TopBar(): JSX.Element {
  const workspace = useWorkspace((s) => s.workspace);
  // Shown once this tab is known to have a session (at once in the desktop app).
  const signedOut = useSessionRefusal() !== null;
  const name = useDoc((s) => s.doc?.name);
  const path = useDoc((s) => s.path);
  const dirty = useDoc((s) => s.dirty);
  const canUndo = useDoc((s) => s.history.past.length > 0);
  const canRedo = useDoc((s) => s.history.future.length > 0);
  const hasSelection = useDoc((s) => s.selection.length === 1);
  const theme = useUi((s) => s.theme);
  const env = useActiveEnvironment();
  const hasDoc = !!name;
  return (
    <header className="topbar" data-env-protected={env?.protected ? 'true' : undefined} data-testid="topbar">
      <div className="brand" role="img" aria-label="Weir">
        <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">
          <path d="M2 6h16M2 10h16M2 14h16" stroke="var(--accent)" strokeWidth="2" strokeLinecap="round" />
          <path d="M6 4v12M14 4v12" stroke="var(--text-2)" strokeWidth="1.6" strokeLinecap="round" />
        </svg>
        <span>Weir</span>
      </div>
      {/* A tab without a session could open nothing: the page says what is wrong instead. */}
      {!signedOut && (
        <button type="button" className="crumb" onClick={() => useUi.getState().openDialog('openWorkspace')} title={workspace?.root ?? 'Open a workspace folder'} data-testid="workspace-button">
          <Icon name="folder" size={14} />
          <span className="crumb-text">{workspace?.name ?? 'Open workspace…'}</span>
        </button>
      )}
      {hasDoc && (
        <>
          <span className="crumb-sep">/</span>
          <span className="doc-title" title={path ?? ''}>
            <span className="doc-name">{name}</span>
            {dirty ? (
              <span className="dirty" data-testid="dirty" title="Unsaved changes" aria-label="unsaved changes">
                ●
              </span>
            ) : (
              <span className="saved" data-testid="saved">
                saved
              </span>
            )}
          </span>
        </>
      )}
      <span className="spacer" />
      <div className="tools" role="toolbar" aria-label="Pipeline">
        <ToolButton icon="undo" label="Undo" keys="mod+z" onClick={undo} disabled={!canUndo} testId="undo" />
        <ToolButton icon="redo" label="Redo" keys="mod+shift+z" onClick={redo} disabled={!canRedo} testId="redo" />
        <span className="tool-sep" />
        <ToolButton icon="layout" label="Auto-layout" keys="mod+shift+l" onClick={layout} disabled={!hasDoc} testId="auto-layout" />
        <ToolButton icon="fit" label="Zoom to fit" keys="shift+1" onClick={fitView} disabled={!hasDoc} testId="zoom-fit" />
        <span className="tool-sep" />
        <ToolButton icon="eye" label="Preview selected node" keys="mod+p" onClick={() => void preview()} disabled={!hasSelection} testId="preview" />
        <ToolButton icon="save" label="Save" keys="mod+s" onClick={() => void save()} disabled={!hasDoc} testId="save" />
        <span className="tool-sep" />
        {hasDoc && <EnvironmentBadge />}
        {hasDoc && <EnvironmentSwitch />}
        <RunControls icon={(n) => <Icon name={n} />} runTitle={`Run (${shortcutLabel('mod+enter')})`} canRun={hasDoc} onRun={() => void run()} onCancel={() => void cancelRun()} />
        <span className="tool-sep" />
        {workspace && <LayoutToggles />}
        <ToolButton icon={theme === 'dark' ? 'sun' : 'moon'} label={theme === 'dark' ? 'Light theme' : 'Dark theme'} keys="mod+shift+d" onClick={() => useUi.getState().toggleTheme()} testId="theme" />
        <ToolButton icon="keyboard" label="Keyboard shortcuts" keys="shift+?" onClick={() => useUi.getState().openDialog('shortcuts')} />
      </div>
    </header>
  );
}
