import { ApiError, errorMessage } from '../../shared/api/envelope';
import { upstreamOf } from '../../shared/pipeline/graph';
import { describeIssue, issuesOfNodes } from '../../shared/pipeline/issue-place';
import { checkNodes } from '../../shared/pipeline/parse';
import type { Pipeline } from '../../shared/pipeline/schema';
import { documentCalls } from '../document/document-calls';
import { useDoc } from '../document/doc-store';
import { previewBlocker, refusal } from '../document/engine-problems';
import { usePanel } from '../ui/panel-store';
import type { PreviewFilter } from '../../shared/preview/query';
import { usePreview, type PreviewView } from './preview-store';
import { useRunConfig } from '../run/run-config-store';
import { runOptions } from '../run/run-options';
import { upstreamSignature } from './preview-signature';
import { engineProblemsNow } from '../run/problem-actions';
import { chartNode, clearChart } from './chart-actions';
import { useChart } from './chart-store';

/** Rows fetched per preview; the grid renders only those in view. */
export const PREVIEW_LIMIT = 1000;

/**
 * Why the engine would refuse to compute `nodeId` of the document as it is now (a node it
 * computes has SQL or a path the sandbox refuses), as one line; null when nothing stops it.
 * The engine is not asked to compute anything while this holds.
 */
async function refusedPreview(doc: Pipeline, nodeId: string): Promise<string | null> {
  // The designer's own checks first: a config its kind refuses (an avg without its column, a
  // path out of the workspace) could not be computed, and says so in words at once.
  const computed = upstreamOf(doc.nodes, nodeId).add(nodeId);
  const local = useDoc.getState().doc === doc ? useDoc.getState().localIssues : checkNodes(doc);
  const mine = issuesOfNodes(doc, local, computed);
  if (mine.length) return `Cannot preview: ${describeIssue(doc, mine[0]!)}${mine.length > 1 ? ` (and ${mine.length - 1} more problem${mine.length > 2 ? 's' : ''})` : ''}`;
  const problems = await engineProblemsNow();
  const first = problems ? previewBlocker(doc, nodeId, problems) : null;
  return first ? refusal('preview', first) : null;
}

/** The lot a partitioned pipeline's preview reads (the lot picker's); none for another pipeline, or before the lots are listed. */
function previewLot(doc: Pipeline): { lot?: string } {
  const lot = usePreview.getState().lot;
  return doc.partitions && lot ? { lot } : {};
}

/** Another lot in the picker: the node on show is previewed again, reading only that lot. */
export function setPreviewLot(lot: string): void {
  if (usePreview.getState().lot === lot) return;
  usePreview.getState().set({ lot });
  const id = usePreview.getState().nodeId;
  if (id && useDoc.getState().byId.has(id)) void previewNode(id);
}

const wasCancelled = (e: unknown) => e instanceof ApiError && e.kind === 'cancelled';

let previewSeq = 0;
let profileSeq = 0;

/**
 * Previews one node of the pipeline as it is in the editor (saved or not). The main
 * process does the work and cancels the preview this one supersedes; the renderer only
 * waits for a message, so the canvas stays responsive.
 */
export async function previewNode(nodeId: string, opts: { count?: boolean } = {}): Promise<void> {
  const { root, path, doc } = useDoc.getState();
  if (!root || !path || !doc || !doc.nodes.some((n) => n.id === nodeId)) return;
  const seq = ++previewSeq;
  const prev = usePreview.getState();
  const sameNode = prev.nodeId === nodeId;
  usePreview.getState().set({
    nodeId,
    loading: true,
    error: null,
    errorNodeId: null,
    refused: false,
    counting: !!opts.count,
    // Another node's rows, profile, order and filters are not this one's.
    ...(sameNode ? {} : { result: null, profile: null, profileError: null, sort: null, filters: [] }),
  });
  const { problems: _problems, ...options } = runOptions();
  void _problems;
  const refused = await refusedPreview(doc, nodeId);
  if (seq !== previewSeq) return;
  if (refused) {
    usePreview.getState().set({ error: refused, refused: true, result: null, loading: false, counting: false, profile: null, profileError: refused, profileLoading: false });
    return;
  }
  try {
    const { sort, filters } = usePreview.getState();
    const shape = { ...(sort ? { order_by: [sort] } : {}), ...(filters.length ? { filter: filters } : {}) };
    const result = await documentCalls.call('pipeline.preview', { root, path, nodeId, limit: PREVIEW_LIMIT, count: opts.count, ...options, ...shape, ...previewLot(doc) }, doc);
    if (seq !== previewSeq) return;
    usePreview.getState().set({ result, loading: false, counting: false });
  } catch (e) {
    if (seq !== previewSeq || wasCancelled(e)) return;
    // The node the engine names (an upstream one may have failed), for the problems list to link.
    const at = e instanceof ApiError ? (e.details?.nodeId ?? null) : null;
    usePreview.getState().set({ error: errorMessage(e), errorNodeId: at, refused: false, errorSignature: upstreamSignature(doc, at && doc.nodes.some((n) => n.id === at) ? at : nodeId), result: null, loading: false, counting: false });
  }
  if (usePreview.getState().view === 'profile' && seq === previewSeq) void profileNode(nodeId);
  // The chart needs the node's columns (for its suggestion), and a preview cancels the chart in flight.
  if (usePreview.getState().view === 'chart' && seq === previewSeq && usePreview.getState().result) void chartNode(nodeId);
}

/** Counts every row of the node on show (a full computation of it). */
export function countRows(): Promise<void> {
  const id = usePreview.getState().nodeId;
  return id ? previewNode(id, { count: true }) : Promise.resolve();
}

export async function profileNode(nodeId: string): Promise<void> {
  const { root, path, doc } = useDoc.getState();
  if (!root || !path || !doc) return;
  const seq = ++profileSeq;
  usePreview.getState().set({ profileLoading: true, profileError: null });
  const { problems: _problems, ...options } = runOptions();
  void _problems;
  const refused = await refusedPreview(doc, nodeId);
  if (seq !== profileSeq) return;
  if (refused) {
    usePreview.getState().set({ profileError: refused, profile: null, profileLoading: false });
    return;
  }
  try {
    const profile = await documentCalls.call('pipeline.profile', { root, path, nodeId, ...options, ...previewLot(doc) }, doc);
    if (seq !== profileSeq || usePreview.getState().nodeId !== nodeId) return;
    usePreview.getState().set({ profile, profileLoading: false });
  } catch (e) {
    if (seq !== profileSeq) return;
    // A preview of the same pipeline cancels its profile (the main process works for the
    // latest request only); the preview asks again if the profile is on show.
    if (wasCancelled(e)) usePreview.getState().set({ profileLoading: false });
    else usePreview.getState().set({ profileError: errorMessage(e), profile: null, profileLoading: false });
  }
}

/** Shows the node's rows again with another order or filters (DuckDB applies them over every row). */
function reshape(patch: Partial<Pick<ReturnType<typeof usePreview.getState>, 'sort' | 'filters'>>): void {
  const s = usePreview.getState();
  s.set(patch);
  if (s.nodeId) void previewNode(s.nodeId);
}

/** A header click: sorted ascending, then descending, then as the node gives them. */
export function sortBy(column: string): void {
  const current = usePreview.getState().sort;
  if (!current || current.column !== column) reshape({ sort: { column } });
  else reshape({ sort: current.descending ? null : { column, descending: true } });
}

export function addFilter(filter: PreviewFilter): void {
  // One filter per column and operator: a new value replaces the old.
  const rest = usePreview.getState().filters.filter((f) => !(f.column === filter.column && f.op === filter.op));
  reshape({ filters: [...rest, filter] });
}

export function removeFilter(index: number): void {
  reshape({ filters: usePreview.getState().filters.filter((_, i) => i !== index) });
}

export function clearFilters(): void {
  reshape({ filters: [] });
}

export function setPreviewView(view: PreviewView): void {
  const s = usePreview.getState();
  s.set({ view });
  if (view === 'profile' && s.nodeId && !s.profileLoading && s.profile?.nodeId !== s.nodeId) void profileNode(s.nodeId);
  if (view === 'chart' && s.nodeId && s.result && useChart.getState().result?.nodeId !== s.nodeId) void chartNode(s.nodeId);
}

/** The toolbar's Preview (Ctrl+P): the selected node, in the panel. */
export function previewSelected(nodeId?: string): boolean {
  const id = nodeId ?? useDoc.getState().selection[0];
  if (!id) return false;
  void previewNode(id); // first: the panel opening then finds this node on show
  usePanel.getState().show('preview');
  return true;
}

/**
 * Live preview: while the preview panel is open, selecting a node previews it, and editing
 * the pipeline refreshes the node on show (debounced, so typing SQL asks once it pauses).
 * Returns the unsubscribe function.
 */
export function startLivePreview(): () => void {
  let selTimer: ReturnType<typeof setTimeout> | undefined;
  let editTimer: ReturnType<typeof setTimeout> | undefined;
  const panelShowsPreview = () => {
    const p = usePanel.getState();
    return p.open && p.tab === 'preview';
  };
  const offDoc = useDoc.subscribe((s, prev) => {
    if (s.selection !== prev.selection) {
      // Any new selection drops the preview a previous one scheduled: selecting another node and
      // quickly back to the one on show must not leave the other node's preview on its way.
      clearTimeout(selTimer);
      if (s.selection.length === 1 && s.selection[0] !== usePreview.getState().nodeId) {
        const id = s.selection[0]!;
        selTimer = setTimeout(() => panelShowsPreview() && void previewNode(id), 120);
      }
    }
    if (s.doc && prev.doc && (s.doc.nodes !== prev.doc.nodes || s.doc.params !== prev.doc.params)) {
      // Only an edit of what the node on show is computed from: another branch, a
      // description or a move leaves its rows as they are.
      const id = usePreview.getState().nodeId;
      if (!id || upstreamSignature(s.doc, id) === upstreamSignature(prev.doc, id)) return;
      clearTimeout(editTimer);
      editTimer = setTimeout(() => {
        const current = usePreview.getState().nodeId;
        if (current && panelShowsPreview() && useDoc.getState().byId.has(current)) void previewNode(current);
      }, 500);
    }
  });
  // Parameter values and the environment change what a node computes, too.
  const offConfig = useRunConfig.subscribe((c, prev) => {
    if (c.params === prev.params && c.environment === prev.environment) return;
    clearTimeout(editTimer);
    editTimer = setTimeout(() => {
      const id = usePreview.getState().nodeId;
      if (id && panelShowsPreview() && useDoc.getState().byId.has(id)) void previewNode(id);
    }, 400);
  });
  const offPanel = usePanel.subscribe((p, prev) => {
    const opened = p.open && p.tab === 'preview' && !(prev.open && prev.tab === 'preview');
    const sel = useDoc.getState().selection;
    if (opened && sel.length === 1 && sel[0] !== usePreview.getState().nodeId) void previewNode(sel[0]!);
  });
  return () => {
    clearTimeout(selTimer);
    clearTimeout(editTimer);
    offDoc();
    offConfig();
    offPanel();
  };
}

export function clearPreview(): void {
  clearChart();
  previewSeq++;
  profileSeq++;
  usePreview.getState().set({ nodeId: null, result: null, error: null, errorNodeId: null, refused: false, loading: false, counting: false, profile: null, profileError: null, profileLoading: false, sort: null, filters: [] });
}
