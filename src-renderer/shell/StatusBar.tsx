import { useEffect, useRef, useState, type JSX } from 'react';
import { count, duration } from '../../shared/format';
import { useDoc } from '../document/doc-store';
import { ProblemsList } from './ProblemsList';
import { useRun } from '../run/run-store';
import { useWorkspace } from '../workspace/workspace-store';
import './status-bar.css';

function RunSummary(): JSX.Element | null {
  const phase = useRun((s) => s.phase);
  const durationMs = useRun((s) => s.durationMs);
  const error = useRun((s) => s.error);
  const nodes = useRun((s) => s.nodes);
  if (phase === 'idle') return null;
  const all = Object.values(nodes);
  const done = all.filter((n) => n.status === 'done').length;
  const text =
    phase === 'starting'
      ? 'Starting run…'
      : phase === 'running'
        ? `Running · ${done}/${all.length} nodes done`
        : phase === 'succeeded'
          ? `Run succeeded${durationMs === null ? '' : ` · ${duration(durationMs)}`}`
          : phase === 'cancelled'
            ? 'Run cancelled'
            : error
              ? `Run failed: ${error}`
              : `Run failed · ${count(all.filter((n) => n.status === 'failed').length, 'node')} failed`;
  return (
    <span className={`run-summary run-${phase}`} data-testid="run-summary">
      {text}
    </span>
  );
}

/**
 * The problem count; clicked, the list of problems above the status bar (each one about a
 * node selects it). It closes on Escape, a click elsewhere, or when the last problem goes.
 */
function Problems(): JSX.Element {
  const issues = useDoc((s) => s.issues.length);
  const [open, setOpen] = useState(false);
  const [left, setLeft] = useState(0);
  const box = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);
  if (!issues) {
    return (
      <span className="ok" data-testid="problems-count">
        No problems
      </span>
    );
  }
  return (
    <span className="problems" ref={box}>
      <button type="button" className="warn problems-count" data-testid="problems-count" aria-expanded={open} onClick={(e) => {
          // The status bar clips what overflows it: the list is placed on the page, above the count.
          setLeft(e.currentTarget.getBoundingClientRect().left);
          setOpen(!open);
        }}>
        {count(issues, 'problem')}
      </button>
      {open && (
        <div className="problems-popover" role="dialog" aria-label="Problems" style={{ left: Math.max(8, left - 12) }}>
          <ProblemsList testId="problems-list" onPick={() => setOpen(false)} />
        </div>
      )}
    </span>
  );
}

export function StatusBar(): JSX.Element {
  const hasDoc = useDoc((s) => s.doc !== null);
  const root = useWorkspace((s) => s.workspace?.root);
  const shell = useWorkspace((s) => s.shell);
  const version = useWorkspace((s) => s.version);
  return (
    <footer className="statusbar">
      <span className="muted" title={root}>
        {root ?? 'No workspace'}
      </span>
      {hasDoc && <Problems />}
      <RunSummary />
      <span className="spacer" />
      <span className="muted">
        {shell === 'browser' ? 'Browser shell · 127.0.0.1' : shell === 'electron' ? 'Desktop' : ''} {version && `· Weir ${version}`}
      </span>
    </footer>
  );
}
