import { useEffect, useMemo, type JSX } from 'react';
import { useDoc } from '../document/doc-store';
import { usePanel, type PanelTab } from '../ui/panel-store';
import { useRun } from '../run/run-store';
import { logProblemCounts, logProblemsLabel } from '../run/log-counts';
import './bottom-panel.css';
import { canvasControl } from '../canvas/canvas-control';
import { ChangesPanel } from '../git/ChangesPanel';
import { ChecksPanel } from '../run/ChecksPanel';
import { ConnectionsPanel } from '../connections/ConnectionsPanel';
import { ParamsPanel } from '../run/ParamsPanel';
import { PreviewTable } from '../preview/PreviewTable';
import { RunHistory } from '../run/RunHistory';
import { RunLog } from '../run/RunLog';
import { LotsPanel } from '../run/LotsPanel';
import { runLots } from './commands';
import { shortcutLabel } from './shortcuts';
import { TabStrip } from './TabStrip';

const TABS: { id: PanelTab; label: string }[] = [
  { id: 'preview', label: 'Preview' },
  { id: 'checks', label: 'Checks' },
  { id: 'log', label: 'Run log' },
  { id: 'history', label: 'History' },
  { id: 'lots', label: 'Lots' },
  { id: 'params', label: 'Parameters' },
  { id: 'connections', label: 'Connections' },
  { id: 'changes', label: 'Changes' },
];

/** A count beside a tab's name: failed (or warned) checks, the log's warnings and errors. */
function TabBadge({ tab }: { tab: PanelTab }): JSX.Element | null {
  const count = (severity: 'error' | 'warn') => (s: ReturnType<typeof useRun.getState>) =>
    tab === 'checks' ? Object.values(s.nodes).reduce((n, x) => n + (x.checks?.filter((c) => !c.passed && c.severity === severity).length ?? 0), 0) : 0;
  const failedChecks = useRun(count('error'));
  const warnedChecks = useRun(count('warn'));
  if (tab === 'log') return <LogBadge />;
  if (failedChecks) return <span className="tab-badge bad">{failedChecks}</span>;
  if (warnedChecks) return <span className="tab-badge warn">{warnedChecks}</span>;
  return null;
}

/** The Run log tab's count: the same number as its "Warnings and errors" filter (run/log-counts.ts). */
function LogBadge(): JSX.Element | null {
  const log = useRun((s) => s.log);
  const counts = useMemo(() => logProblemCounts(log), [log]);
  if (!counts.total) return null;
  const label = logProblemsLabel(counts);
  return (
    <span className={`tab-badge ${counts.errors ? 'bad' : 'warn'}`} data-testid="log-badge" title={label} aria-label={label}>
      {counts.total}
    </span>
  );
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
    case 'lots':
      return <LotsPanel runLots={(keys) => void runLots(keys)} />;
    case 'params':
      return <ParamsPanel />;
    case 'connections':
      return <ConnectionsPanel />;
    case 'changes':
      return <ChangesPanel reveal={(id) => canvasControl()?.reveal(id)} />;
  }
}

/**
 * The panel under the canvas: preview and profile, check results, run log, history, lots (a
 * partitioned pipeline's), parameters, connections, changes. It fills the frame's bottom panel (`Frame.tsx` sizes it);
 * closed, only its tab strip shows.
 */
export function BottomPanel(): JSX.Element | null {
  const open = usePanel((s) => s.open);
  const tab = usePanel((s) => s.tab);
  const phase = useRun((s) => s.phase);
  const hasDoc = useDoc((s) => s.doc !== null);
  // The lots tab is there for a partitioned pipeline only.
  const partitioned = useDoc((s) => Boolean(s.doc?.partitions));

  useEffect(() => {
    if (phase === 'starting') usePanel.getState().show('log');
  }, [phase]);

  if (!hasDoc) return null;
  return (
    // data-keep-clear: the problems list above the status bar stays off the log and checks it points into.
    <section className={`bottom-panel${open ? ' open' : ''}`} aria-label="Data and runs" data-testid="bottom-panel" data-keep-clear>
      <TabStrip
        tabs={partitioned ? TABS : TABS.filter((t) => t.id !== 'lots')}
        selected={open ? tab : null}
        onPick={(id) => usePanel.getState().toggle(id)}
        badge={(id) => <TabBadge tab={id} />}
        label="Data and runs"
        end={
          open && (
            <button type="button" className="icon-btn" onClick={() => usePanel.getState().close()} aria-label="Close panel" title={`Close panel (${shortcutLabel('mod+j')})`}>
              ▾
            </button>
          )
        }
      />
      {open && (
        <div className="panel-body" data-tab={tab}>
          <Body tab={tab} />
        </div>
      )}
    </section>
  );
}
