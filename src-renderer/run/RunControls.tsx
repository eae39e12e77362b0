import type { JSX } from 'react';
import { isRunning, useRun } from './run-store';
import './run.css';

/**
 * Run and Cancel as two controls side by side, each in its own place whatever the run's
 * state: Run is disabled while a run is in progress, Cancel while none is. One button that
 * turned from Cancel into Run as a run ended let a Cancel click that landed a moment late
 * start a new run (issue #15 item 5); now such a click lands on a disabled Cancel.
 */
export function RunControls({ icon, runTitle, canRun, onRun, onCancel }: { icon(name: 'run' | 'stop'): JSX.Element; runTitle: string; canRun: boolean; onRun(): void; onCancel(): void }): JSX.Element {
  const phase = useRun((s) => s.phase);
  const running = isRunning(phase);
  return (
    <span className="run-controls" role="group" aria-label="Run">
      <button type="button" className="tool primary" onClick={onRun} disabled={!canRun || running} title={running ? 'A run is in progress' : runTitle} aria-label="Run" data-testid="run">
        {icon('run')}
        <span>Run</span>
      </button>
      <button
        type="button"
        className="tool run-cancel"
        // A click that arrives after the run ended does nothing, even if React has not re-rendered yet.
        onClick={() => isRunning(useRun.getState().phase) && onCancel()}
        disabled={!running}
        title={running ? 'Cancel the run in progress' : 'No run in progress'}
        aria-label="Cancel run"
        data-testid="cancel-run"
      >
        {icon('stop')}
        <span>Cancel</span>
      </button>
    </span>
  );
}
