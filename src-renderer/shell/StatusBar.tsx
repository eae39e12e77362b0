import type { JSX, ReactNode } from 'react';
import { count, duration } from '../../shared/format';
import { useDoc } from '../document/doc-store';
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
 * The frame's bottom line: the workspace, the problem count (`problems`: App hands in the
 * problems feature's count, which sits above the shell), the run on show, the shell.
 */
export function StatusBar({ problems }: { problems?: ReactNode }): JSX.Element {
  const hasDoc = useDoc((s) => s.doc !== null);
  const root = useWorkspace((s) => s.workspace?.root);
  const shell = useWorkspace((s) => s.shell);
  const version = useWorkspace((s) => s.version);
  return (
    <footer className="statusbar">
      <span className="muted" title={root}>
        {root ?? 'No workspace'}
      </span>
      {hasDoc && problems}
      <RunSummary />
      <span className="spacer" />
      <span className="muted">
        {shell === 'browser' ? 'Browser shell · 127.0.0.1' : shell === 'electron' ? 'Desktop' : ''} {version && `· Weir ${version}`}
      </span>
    </footer>
  );
}
