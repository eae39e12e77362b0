import { useCallback, useEffect, useRef, type JSX, type PointerEvent } from 'react';
import { useDoc } from '../document/doc-store';
import { usePanel, type PanelTab } from '../ui/panel-store';
import { useRun } from '../run/run-store';
import './bottom-panel.css';
import { ChangesPanel } from '../git/ChangesPanel';
import { ChecksPanel } from '../run/ChecksPanel';
import { ConnectionsPanel } from '../connections/ConnectionsPanel';
import { ParamsPanel } from '../run/ParamsPanel';
import { PreviewTable } from '../preview/PreviewTable';
import { RunHistory } from '../run/RunHistory';
import { RunLog } from '../run/RunLog';

const TABS: { id: PanelTab; label: string }[] = [
  { id: 'preview', label: 'Preview' },
  { id: 'checks', label: 'Checks' },
  { id: 'log', label: 'Run log' },
  { id: 'history', label: 'History' },
  { id: 'params', label: 'Parameters' },
  { id: 'connections', label: 'Connections' },
  { id: 'changes', label: 'Changes' },
];

/** A count beside a tab's name: failed checks, errors in the log, parameters set for this run. */
function TabBadge({ tab }: { tab: PanelTab }): JSX.Element | null {
  const count = (severity: 'error' | 'warn') => (s: ReturnType<typeof useRun.getState>) =>
    tab === 'checks' ? Object.values(s.nodes).reduce((n, x) => n + (x.checks?.filter((c) => !c.passed && c.severity === severity).length ?? 0), 0) : 0;
  const failedChecks = useRun(count('error'));
  const warnedChecks = useRun(count('warn'));
  const logErrors = useRun((s) => (tab === 'log' ? s.log.filter((e) => e.level === 'error').length : 0));
  const bad = failedChecks || logErrors;
  if (bad) return <span className="tab-badge bad">{bad}</span>;
  if (warnedChecks) return <span className="tab-badge warn">{warnedChecks}</span>;
  return null;
}

function Body({ tab }: { tab: PanelTab }): JSX.Element {
  switch (tab) {
    case 'preview':
      return <PreviewTable />;
    case 'checks':
      return <ChecksPanel />;
    case 'log':
      return <RunLog />;
    case 'history':
      return <RunHistory />;
    case 'params':
      return <ParamsPanel />;
    case 'connections':
      return <ConnectionsPanel />;
    case 'changes':
      return <ChangesPanel />;
  }
}

/** The panel under the canvas: preview and profile, check results, run log, history, parameters, connections. */
export function BottomPanel(): JSX.Element | null {
  const open = usePanel((s) => s.open);
  const tab = usePanel((s) => s.tab);
  const height = usePanel((s) => s.height);
  const phase = useRun((s) => s.phase);
  const hasDoc = useDoc((s) => s.doc !== null);
  const drag = useRef<{ y: number; h: number } | null>(null);

  useEffect(() => {
    if (phase === 'starting') usePanel.getState().show('log');
  }, [phase]);

  const onPointerDown = useCallback((e: PointerEvent<HTMLDivElement>) => {
    drag.current = { y: e.clientY, h: usePanel.getState().height };
    e.currentTarget.setPointerCapture(e.pointerId);
  }, []);
  const onPointerMove = useCallback((e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    // Never taller than most of the window: the canvas stays usable.
    usePanel.getState().setHeight(Math.min(window.innerHeight * 0.75, drag.current.h + drag.current.y - e.clientY));
  }, []);
  const onPointerUp = useCallback(() => {
    drag.current = null;
  }, []);

  if (!hasDoc) return null;
  return (
    <section className={`bottom-panel${open ? ' open' : ''}`} aria-label="Data and runs" style={open ? { height } : undefined} data-testid="bottom-panel">
      {open && <div className="panel-resizer" role="separator" aria-orientation="horizontal" aria-label="Resize panel" onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp} />}
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            role="tab"
            type="button"
            aria-selected={open && tab === t.id}
            className={open && tab === t.id ? 'active' : ''}
            onClick={() => usePanel.getState().toggle(t.id)}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
            <TabBadge tab={t.id} />
          </button>
        ))}
        <span className="spacer" />
        {open && (
          <button type="button" className="icon-btn" onClick={() => usePanel.getState().close()} aria-label="Close panel">
            ▾
          </button>
        )}
      </div>
      {open && (
        <div className="panel-body" data-tab={tab}>
          <Body tab={tab} />
        </div>
      )}
    </section>
  );
}
