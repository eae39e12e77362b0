import { ApiError, errorMessage } from '../../shared/api/envelope';
import { defaultChart, type ChartSpec, type ChartWindow } from '../../shared/chart/spec';
import { documentCalls } from '../document/document-calls';
import { useDoc } from '../document/doc-store';
import { positionOf } from '../canvas/flow-mapping';
import { runOptions } from '../run/run-options';
import { usePreview } from './preview-store';
import { useChart } from './chart-store';

let chartSeq = 0;

/** The chart saved on a node (`layout.<id>.chart`), if any. */
export function savedChart(nodeId: string): ChartSpec | null {
  return useDoc.getState().doc?.layout[nodeId]?.chart ?? null;
}

/** The spec to start from for the node on show: its saved chart, else what its columns suggest. */
function startingSpec(nodeId: string): ChartSpec | null {
  const saved = savedChart(nodeId);
  if (saved) return saved;
  const columns = usePreview.getState().result?.columns;
  return columns ? defaultChart(columns) : null;
}

/**
 * Draws the node's chart: the engine reduces its rows in DuckDB (pipeline.chart) to about the
 * plot's width, in the file's warm session. A newer chart of the file cancels this one.
 */
export async function chartNode(nodeId: string): Promise<void> {
  const { root, path, doc } = useDoc.getState();
  if (!root || !path || !doc) return;
  const c = useChart.getState();
  let spec = c.nodeId === nodeId ? c.spec : null;
  spec ??= startingSpec(nodeId);
  const seq = ++chartSeq;
  if (c.nodeId !== nodeId) c.set({ nodeId, spec, result: null, error: null, window: null });
  if (!spec) {
    c.set({ loading: false, error: usePreview.getState().result ? 'Nothing to chart: this node has no number, date or text column.' : null });
    return;
  }
  c.set({ spec, loading: true, error: null });
  const { problems: _problems, ...options } = runOptions();
  void _problems;
  try {
    const zoom = spec.mark === 'line' || spec.mark === 'scatter' ? useChart.getState().window : null;
    const result = await documentCalls.call('pipeline.chart', { root, path, nodeId, chart: spec, width: Math.round(useChart.getState().width), ...(zoom ? { window: zoom } : {}), ...options }, doc);
    if (seq !== chartSeq) return;
    useChart.getState().set({ result, loading: false });
  } catch (e) {
    if (seq !== chartSeq) return;
    // A preview of the file cancels its chart; the preview asks again when the chart is on show.
    if (e instanceof ApiError && e.kind === 'cancelled') useChart.getState().set({ loading: false });
    else useChart.getState().set({ error: errorMessage(e), result: null, loading: false });
  }
}

/** A change of mark or columns: drawn again at once. */
export function changeChart(patch: Partial<ChartSpec>): void {
  const { nodeId, spec } = useChart.getState();
  if (!nodeId || !spec) return;
  const next: ChartSpec = { ...spec, ...patch };
  for (const k of ['color', 'facet', 'agg'] as const) if (next[k] === undefined) delete next[k];
  // Another mark or other columns: the zoom was into the old chart's x.
  useChart.getState().set({ spec: next, window: null });
  void chartNode(nodeId);
}

/**
 * A zoom into a line or scatter chart (a drag across the plot), or back to every row (null):
 * the engine reduces only the rows inside the window, so the zoom shows finer detail than the
 * points the whole range left.
 */
export function zoomChart(zoom: ChartWindow | null): void {
  const { nodeId } = useChart.getState();
  if (!nodeId) return;
  useChart.getState().set({ window: zoom });
  void chartNode(nodeId);
}

/** The chart's width changed (the panel was resized): a line chart is reduced to the new width. */
export function resizeChart(width: number): void {
  const c = useChart.getState();
  if (Math.abs(c.width - width) < 40) return;
  c.set({ width });
  if (c.nodeId && c.result) void chartNode(c.nodeId);
}

/**
 * Keeps the chart on the node, in the pipeline's layout (`layout.<id>.chart`): saved with the
 * file, so a reviewer opens the same chart; a layout-only change in the diff.
 */
export function keepChartOnNode(): void {
  const { nodeId, spec } = useChart.getState();
  const doc = useDoc.getState().doc;
  if (!nodeId || !spec || !doc) return;
  const i = doc.nodes.findIndex((n) => n.id === nodeId);
  if (i < 0) return;
  useDoc.getState().apply((p) => {
    const at = p.layout[nodeId] ?? positionOf(p, p.nodes[i]!, i);
    return { ...p, layout: { ...p.layout, [nodeId]: { x: at.x, y: at.y, chart: spec } } };
  });
}

/** Removes the chart kept on the node; the tab goes back to what its columns suggest. */
export function forgetChartOnNode(): void {
  const { nodeId } = useChart.getState();
  const doc = useDoc.getState().doc;
  const at = nodeId ? doc?.layout[nodeId] : undefined;
  if (!nodeId || !at?.chart) return;
  useDoc.getState().apply((p) => {
    const { chart: _chart, ...pos } = p.layout[nodeId]!;
    void _chart;
    return { ...p, layout: { ...p.layout, [nodeId]: pos } };
  });
  const columns = usePreview.getState().result?.columns;
  useChart.getState().set({ spec: columns ? defaultChart(columns) : null, window: null });
  void chartNode(nodeId);
}

export function clearChart(): void {
  chartSeq++;
  useChart.getState().set({ nodeId: null, spec: null, result: null, loading: false, error: null, window: null });
}
