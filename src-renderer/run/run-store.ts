import { create } from 'zustand';
import type { RunEvent } from '../../shared/run/events';
import type { RunRecord } from '../../shared/run/record';
import { beginRun, fromRecord, idleRun, reduceRun, withRecord, type RunSnapshot } from './run-reducer';

export type { LogEntry, LogLevel, NodeRunState, RunPhase } from './run-reducer';

/**
 * Run status beside the graph, keyed by node id: a progress tick changes one entry here and
 * re-renders one node card, never the canvas. The logic is the pure reducer in run-reducer.ts.
 */
interface RunState extends RunSnapshot {
  begin(path: string): void;
  started(runId: string): void;
  onEvent(path: string, e: RunEvent): void;
  /** The finished run's record: check results and final counts. */
  attachRecord(record: RunRecord): void;
  /** Shows a past run (from history) on the cards. */
  showRecord(path: string, record: RunRecord): void;
  fail(message: string): void;
  clear(): void;
}

const snapshot = (s: RunState): RunSnapshot => ({
  runId: s.runId,
  path: s.path,
  phase: s.phase,
  nodes: s.nodes,
  log: s.log,
  startedAt: s.startedAt,
  durationMs: s.durationMs,
  recordPath: s.recordPath,
  error: s.error,
  fromHistory: s.fromHistory,
});

export const useRun = create<RunState>()((set, get) => ({
  ...idleRun(),
  begin(path) {
    set(beginRun(path));
  },
  started(runId) {
    if (!get().runId) set({ runId });
  },
  onEvent(path, e) {
    const before = snapshot(get());
    const after = reduceRun(before, path, e);
    if (after !== before) set(after);
  },
  attachRecord(record) {
    const before = snapshot(get());
    const after = withRecord(before, record);
    if (after !== before) set(after);
  },
  showRecord(path, record) {
    set(fromRecord(path, record));
  },
  fail(message) {
    set({ phase: 'failed', nodes: {}, durationMs: null, error: message });
  },
  clear() {
    set(idleRun());
  },
}));

export const isRunning = (phase: RunSnapshot['phase']): boolean => phase === 'running' || phase === 'starting';
