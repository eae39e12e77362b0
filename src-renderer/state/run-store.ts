import { create } from 'zustand';
import type { NodeStatus, RunEvent } from '../../shared/run/events';

export interface NodeRunState {
  status: NodeStatus;
  rows: number | null;
  durationMs: number | null;
  message: string | null;
  cached: boolean;
}

export type RunPhase = 'idle' | 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * Run status beside the graph, keyed by node id: a progress tick changes one entry here and
 * re-renders one node card, never the canvas.
 */
interface RunState {
  runId: string | null;
  path: string | null;
  phase: RunPhase;
  nodes: Record<string, NodeRunState>;
  log: RunEvent[];
  durationMs: number | null;
  /** Why the run could not start. */
  error: string | null;
  begin(path: string): void;
  started(runId: string): void;
  onEvent(path: string, e: RunEvent): void;
  fail(message: string): void;
  clear(): void;
}

const blank = (status: NodeStatus): NodeRunState => ({ status, rows: null, durationMs: null, message: null, cached: false });
const LOG_LIMIT = 1000;

export const useRun = create<RunState>()((set, get) => ({
  runId: null,
  path: null,
  phase: 'idle',
  nodes: {},
  log: [],
  durationMs: null,
  error: null,
  begin(path) {
    set({ runId: null, path, phase: 'starting', nodes: {}, log: [], durationMs: null, error: null });
  },
  started(runId) {
    if (!get().runId) set({ runId });
  },
  onEvent(path, e) {
    const s = get();
    if (s.path !== path) return;
    if (s.runId && e.runId !== s.runId) return;
    const nodes = { ...s.nodes };
    const patch = (id: string, p: Partial<NodeRunState>) => (nodes[id] = { ...(nodes[id] ?? blank('queued')), ...p });
    let phase = s.phase;
    let durationMs = s.durationMs;
    switch (e.type) {
      case 'run_started':
        for (const n of e.nodes) nodes[n.id] = blank('queued');
        phase = 'running';
        break;
      case 'node_started':
        patch(e.nodeId, { status: 'running' });
        break;
      case 'node_rows':
        patch(e.nodeId, { rows: e.rows });
        break;
      case 'node_finished':
        patch(e.nodeId, { status: 'done', rows: e.rows, durationMs: e.durationMs, cached: e.cached });
        break;
      case 'node_failed':
        patch(e.nodeId, { status: 'failed', message: e.error, durationMs: e.durationMs });
        break;
      case 'node_skipped':
        patch(e.nodeId, { status: 'skipped', message: e.reason });
        break;
      case 'node_warning':
        patch(e.nodeId, { message: e.message });
        break;
      case 'run_finished':
        phase = e.status;
        durationMs = e.durationMs;
        for (const [id, n] of Object.entries(nodes)) if (n.status === 'queued' || n.status === 'running') nodes[id] = { ...n, status: e.status === 'cancelled' ? 'cancelled' : 'skipped' };
        break;
    }
    set({ runId: s.runId ?? e.runId, nodes, phase, durationMs, log: [...s.log, e].slice(-LOG_LIMIT) });
  },
  fail(message) {
    set({ phase: 'failed', nodes: {}, durationMs: null, error: message });
  },
  clear() {
    set({ runId: null, path: null, phase: 'idle', nodes: {}, log: [], durationMs: null, error: null });
  },
}));
