import { memo, useEffect, useMemo, useRef, useState, type JSX } from 'react';
import { useDoc } from '../document/doc-store';
import { calendarDate, clockTime, clockTimeMs } from '../ui/time-format';
import { isLogProblem, logProblemCounts, logProblemsLabel } from './log-counts';
import { recordRelative } from './log-text';
import { useWorkspace } from '../workspace/workspace-store';
import { useRun, type LogEntry } from './run-store';
import { RunTimeline } from './RunTimeline';
import './run.css';

type Filter = 'all' | 'problems';
type View = 'log' | 'timeline';

/** The view last picked: the tab is unmounted while another is shown, and comes back as it was left. */
let lastView: View = 'log';

const since = (ms: number, start: number | null) => (start === null ? '' : `+${((ms - start) / 1000).toFixed(2)}s`);

function selectNode(nodeId: string | null): void {
  if (nodeId && useDoc.getState().byId.has(nodeId)) useDoc.getState().setSelection([nodeId]);
}

// Memoized: entries never change once logged, so a new event renders only its own line, not all 2000.
const Line = memo(({ e, start, root }: { e: LogEntry; start: number | null; root: string | undefined }): JSX.Element => (
  <li className={`log-line lv-${e.level} ev-${e.type}`} data-testid="log-line" data-level={e.level} data-node={e.node ?? ''}>
    <time dateTime={new Date(e.at).toISOString()} title={`${calendarDate(e.at)} ${clockTimeMs(e.at)}`}>
      {clockTime(e.at)}
      <span className="log-ms">{clockTimeMs(e.at).slice(8)}</span>
    </time>
    <span className="log-since">{since(e.at, start)}</span>
    <span className={`log-level lv-${e.level}`}>{e.level.toUpperCase()}</span>
    {e.node ? (
      <button type="button" className="log-node" onClick={() => selectNode(e.nodeId)} title={`${e.node}: select this node on the canvas`}>
        {e.node}
      </button>
    ) : (
      <span className="log-node none">run</span>
    )}
    {e.type === 'run_finished' ? (
      <span className="log-msg" title={e.message}>
        {recordRelative(e.message, root)}
      </span>
    ) : (
      <span className="log-msg">{e.message}</span>
    )}
  </li>
));
Line.displayName = 'Line';

/** Log or timeline: two views of the same run. */
function ViewSwitch({ view, onView }: { view: View; onView(v: View): void }): JSX.Element {
  return (
    <div className="seg" role="tablist" aria-label="Run view">
      <button type="button" role="tab" aria-selected={view === 'log'} className={view === 'log' ? 'on' : ''} onClick={() => onView('log')} data-testid="run-view-log">
        Log
      </button>
      <button type="button" role="tab" aria-selected={view === 'timeline'} className={view === 'timeline' ? 'on' : ''} onClick={() => onView('timeline')} data-testid="run-view-timeline">
        Timeline
      </button>
    </div>
  );
}

/** The Run log tab: the log of the run on show, or its timeline (a past run's from its record: its log is not kept). */
export function RunLog(): JSX.Element {
  const [view, setView] = useState<View>(lastView);
  const fromHistory = useRun((s) => s.fromHistory);
  const hasNodes = useRun((s) => Object.keys(s.nodes).length > 0);
  const pick = (v: View) => {
    lastView = v;
    setView(v);
  };
  if (view === 'timeline' || (fromHistory && hasNodes)) {
    return (
      <div className="run-log-wrap">
        <div className="log-tools">
          <ViewSwitch view="timeline" onView={pick} />
          {fromHistory && <span className="muted small">A run from history: its log is not kept; the timeline is from its record.</span>}
        </div>
        <RunTimeline />
      </div>
    );
  }
  return <RunLogLines onView={pick} />;
}

/** The run log: one line per event, with its time, level and node; errors stand out. */
function RunLogLines({ onView }: { onView(v: View): void }): JSX.Element {
  const log = useRun((s) => s.log);
  const error = useRun((s) => s.error);
  const start = useRun((s) => s.startedAt);
  const fromHistory = useRun((s) => s.fromHistory);
  const root = useWorkspace((s) => s.workspace?.root);
  const [filter, setFilter] = useState<Filter>('all');
  const list = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const shown = filter === 'all' ? log : log.filter(isLogProblem);
  const counts = useMemo(() => logProblemCounts(log), [log]);

  // Follow the end while the user has not scrolled up to read.
  useEffect(() => {
    const el = list.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [shown.length]);

  if (error) return <div className="run-error pad-x" data-testid="run-start-error">{error}</div>;
  if (!log.length) {
    return (
      <div className="run-log-wrap">
        <div className="log-tools">
          <ViewSwitch view="log" onView={onView} />
        </div>
        <p className="muted pad">{fromHistory ? 'A run from history is shown on the canvas; its log is not kept. See History for its nodes.' : 'Run the pipeline to see its progress here.'}</p>
      </div>
    );
  }
  return (
    <div className="run-log-wrap">
      <div className="log-tools">
        <ViewSwitch view="log" onView={onView} />
        <div className="seg" role="tablist" aria-label="Log filter">
          <button type="button" role="tab" aria-selected={filter === 'all'} className={filter === 'all' ? 'on' : ''} onClick={() => setFilter('all')}>
            All <span className="muted">{log.length}</span>
          </button>
          <button type="button" role="tab" aria-selected={filter === 'problems'} className={filter === 'problems' ? 'on' : ''} onClick={() => setFilter('problems')} data-testid="log-problems">
            Warnings and errors{' '}
            <span className={counts.errors ? 'count-bad' : counts.warnings ? 'count-warn' : 'muted'} data-testid="log-problems-count" title={logProblemsLabel(counts)}>
              {counts.total}
            </span>
          </button>
        </div>
      </div>
      <div
        className="run-log-scroll"
        ref={list}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        <ol className="run-log" data-testid="run-log">
          {shown.map((e) => (
            <Line key={e.seq} e={e} start={start} root={root} />
          ))}
        </ol>
      </div>
    </div>
  );
}
