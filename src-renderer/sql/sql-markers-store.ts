import { create } from 'zustand';
import { ApiError } from '../../shared/api/envelope';
import { upstreamOf } from '../../shared/pipeline/graph';
import type { RunEvent } from '../../shared/run/events';
import type { Pipeline } from '../../shared/pipeline/schema';
import { useDoc } from '../document/doc-store';

/**
 * Where DuckDB said a node's SQL is wrong: the line (and column, when it knows it) of the
 * last failed preview or run of that node, for the SQL editor to mark. A later success
 * of the node clears it; so does opening another pipeline.
 */
export interface SqlMarker {
  line: number;
  column: number | null;
  message: string;
  from: 'preview' | 'run';
}

interface SqlMarkersState {
  /** The pipeline the markers belong to. */
  path: string | null;
  byNode: Readonly<Record<string, SqlMarker>>;
  set(path: string, nodeId: string, marker: SqlMarker | null): void;
  clearNodes(path: string, nodeIds: Iterable<string>): void;
  reset(path: string | null): void;
}

export const useSqlMarkers = create<SqlMarkersState>()((set, get) => ({
  path: null,
  byNode: {},
  set(path, nodeId, marker) {
    const s = get();
    const base = s.path === path ? s.byNode : {};
    if (!marker && !(nodeId in base)) return;
    const byNode = { ...base };
    if (marker) byNode[nodeId] = marker;
    else delete byNode[nodeId];
    set({ path, byNode });
  },
  clearNodes(path, nodeIds) {
    const s = get();
    if (s.path !== path) return;
    const ids = [...nodeIds].filter((id) => id in s.byNode);
    if (!ids.length) return;
    const byNode = { ...s.byNode };
    for (const id of ids) delete byNode[id];
    set({ byNode });
  },
  reset(path) {
    set({ path, byNode: {} });
  },
}));

/** `node "x", line 3: Binder Error: …` → `Binder Error: …` (the editor shows where). */
export function markerMessage(message: string): string {
  return message.replace(/^node "(?:[^"]|"")*"(?:, line \d+)?: /, '');
}

export interface NodeCallInput {
  path?: unknown;
  nodeId?: unknown;
  pipeline?: Pipeline;
}

/** How a preview, profile or schema lookup ended, as markers. */
export function onNodeCall(method: string, input: NodeCallInput, error: unknown): void {
  const path = useDoc.getState().path;
  if (typeof input.nodeId !== 'string' || typeof input.path !== 'string' || input.path !== path || !input.pipeline) return;
  const markers = useSqlMarkers.getState();
  if (error) {
    if (!(error instanceof ApiError) || error.kind === 'cancelled') return;
    const nodeId = error.details?.nodeId;
    if (!nodeId) return;
    const line = error.details?.line;
    markers.set(path, nodeId, line ? { line, column: error.details?.column ?? null, message: markerMessage(error.message), from: 'preview' } : null);
    return;
  }
  // Input schemas answer per input (a failing one says so in its entry), so their success proves nothing.
  if (method === 'pipeline.describeInputs') return;
  // Everything that was computed for it is fine now: the node and its upstream.
  const computed = upstreamOf(input.pipeline.nodes, input.nodeId);
  computed.add(input.nodeId);
  markers.clearNodes(path, computed);
}

/**
 * An edit to a marked node (its settings or its inputs) leaves the marker pointing at text
 * that is no longer there: it goes, and the node's next preview or run marks it again. A
 * preview the designer refuses itself (a missing input, a path out of the workspace) never
 * reaches DuckDB, so nothing else would take down the old line's marker.
 */
export function onDocEdited(path: string | null, before: Pipeline | null, after: Pipeline | null): void {
  const s = useSqlMarkers.getState();
  if (!path || s.path !== path || !before || !after || before === after) return;
  const marked = Object.keys(s.byNode);
  if (!marked.length) return;
  const was = new Map(before.nodes.map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  s.clearNodes(
    path,
    marked.filter((id) => {
      const a = was.get(id);
      const b = now.get(id);
      return !a || !b || a.config !== b.config || a.inputs !== b.inputs;
    }),
  );
}

export function onRunEvent(path: string, e: RunEvent): void {
  if (path !== useDoc.getState().path) return;
  const markers = useSqlMarkers.getState();
  if (e.type === 'run_started') markers.reset(path);
  else if (e.type === 'node_finished') markers.set(path, e.nodeId, null);
  else if (e.type === 'node_failed') {
    markers.set(path, e.nodeId, e.line ? { line: e.line, column: e.column ?? null, message: markerMessage(e.error), from: 'run' } : null);
  }
}
