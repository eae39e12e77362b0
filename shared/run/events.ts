/** Progress of a run or preview, as every shell receives it (IPC, WebSocket, CLI). */
export type NodeStatus = 'queued' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

export type RunEvent =
  | { type: 'run_started'; runId: string; pipeline: string; nodes: { id: string; name: string; kind: string }[]; at: string }
  | { type: 'node_started'; runId: string; nodeId: string; name: string; at: string }
  | { type: 'node_rows'; runId: string; nodeId: string; name: string; rows: number }
  | {
      type: 'node_finished';
      runId: string;
      nodeId: string;
      name: string;
      rows: number | null;
      durationMs: number;
      cached: boolean;
      at: string;
    }
  | { type: 'node_failed'; runId: string; nodeId: string; name: string; error: string; line?: number; column?: number; durationMs: number; at: string }
  | { type: 'node_skipped'; runId: string; nodeId: string; name: string; reason: string }
  | { type: 'node_warning'; runId: string; nodeId: string; name: string; message: string }
  /** A sink's staged output became visible in the run's publish phase (after every node finished). */
  | { type: 'node_published'; runId: string; nodeId: string; name: string; target: string; at: string }
  | { type: 'run_finished'; runId: string; status: 'succeeded' | 'failed' | 'cancelled'; durationMs: number; recordPath: string | null; at: string };
