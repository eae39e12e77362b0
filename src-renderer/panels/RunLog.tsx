import type { JSX } from 'react';
import type { RunEvent } from '../../shared/run/events';
import { useRun } from '../state/run-store';

function line(e: RunEvent): string {
  switch (e.type) {
    case 'run_started':
      return `Run ${e.runId} started: ${e.nodes.length} nodes`;
    case 'node_started':
      return `${e.name}: started`;
    case 'node_rows':
      return `${e.name}: ${e.rows} rows so far`;
    case 'node_finished':
      return `${e.name}: done, ${e.rows ?? '?'} rows in ${e.durationMs} ms${e.cached ? ' (cached)' : ''}`;
    case 'node_failed':
      return `${e.name}: FAILED ${e.error}`;
    case 'node_skipped':
      return `${e.name}: skipped (${e.reason})`;
    case 'node_warning':
      return `${e.name}: warning ${e.message}`;
    case 'run_finished':
      return `Run ${e.status} in ${e.durationMs} ms${e.recordPath ? ` · record ${e.recordPath}` : ''}`;
  }
}

export function RunLog(): JSX.Element {
  const log = useRun((s) => s.log);
  const error = useRun((s) => s.error);
  if (error) return <div className="run-error pad">{error}</div>;
  if (!log.length) return <p className="muted pad">Run the pipeline to see its progress here.</p>;
  return (
    <ol className="run-log" data-testid="run-log">
      {log.map((e, i) => (
        <li key={i} className={`ev-${e.type}`}>
          {line(e)}
        </li>
      ))}
    </ol>
  );
}
