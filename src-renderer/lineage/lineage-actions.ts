import { errorMessage } from '../../shared/api/envelope';
import { traceColumn, type PipelineLineage } from '../../shared/lineage';
import type { Pipeline } from '../../shared/pipeline/schema';
import { documentCalls } from '../document/document-calls';
import { useDoc } from '../document/doc-store';
import { runOptions } from '../run/run-options';
import { marksOf } from './lineage-marks';
import { useLineage, type Direction } from './lineage-store';

let seq = 0;

/**
 * Shows on the canvas where a column of a node comes from (or, downstream, what it feeds):
 * the pipeline's column graph from the file's warm session (`pipeline.lineage`, the edits since
 * the last document it answered for), traced here with `traceColumn`.
 */
export async function showLineage(nodeId: string, column: string, direction: Direction = 'upstream'): Promise<void> {
  const { root, path, doc } = useDoc.getState();
  const node = doc?.nodes.find((n) => n.id === nodeId);
  if (!root || !path || !doc || !node) return;
  const mine = ++seq;
  useLineage.getState().set({ target: { nodeId, node: node.name, column, direction }, loading: true, error: null, of: doc });
  const { problems: _ignored, ...options } = runOptions();
  try {
    const { graph } = await documentCalls.call('pipeline.lineage', { root, path, ...options }, doc);
    if (mine !== seq) return;
    applyTrace(doc, graph, nodeId, column, direction);
  } catch (e) {
    if (mine !== seq) return;
    useLineage.getState().set({ loading: false, error: errorMessage(e), trace: null, marks: {} });
  }
}

function applyTrace(doc: Pipeline, graph: PipelineLineage, nodeId: string, column: string, direction: Direction): void {
  const node = doc.nodes.find((n) => n.id === nodeId)!;
  try {
    const trace = traceColumn(graph, { node: node.name, column }, direction);
    useLineage.getState().set({ loading: false, trace, marks: marksOf(doc, trace), error: null });
  } catch (e) {
    useLineage.getState().set({ loading: false, error: errorMessage(e), trace: null, marks: {} });
  }
}

export function clearLineage(): void {
  seq++;
  useLineage.getState().clear();
}

let explainSeq = 0;

/** "Explain this value": the row of a node on show in the preview, traced back (`pipeline.explain`). */
export async function explainValue(nodeId: string, column: string, row: Record<string, unknown>): Promise<void> {
  const { root, path, doc } = useDoc.getState();
  if (!root || !path || !doc) return;
  const mine = ++explainSeq;
  useLineage.getState().set({ explain: { loading: true, error: null, result: null, nodeId, column, value: row[column] }, of: doc });
  const { problems: _ignored, ...options } = runOptions();
  // The grid's values are JSON scalars; anything else (a list, a struct) is left out of the match.
  const values = Object.fromEntries(Object.entries(row).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) as Record<string, string | number | boolean | null>;
  try {
    const { revision: _r, ...result } = await documentCalls.call('pipeline.explain', { root, path, nodeId, column, row: values, ...options }, doc);
    if (mine !== explainSeq) return;
    useLineage.getState().set({ explain: { loading: false, error: null, result, nodeId, column, value: row[column] } });
  } catch (e) {
    if (mine !== explainSeq) return;
    useLineage.getState().set({ explain: { loading: false, error: errorMessage(e), result: null, nodeId, column, value: row[column] } });
  }
}

export function closeExplain(): void {
  explainSeq++;
  useLineage.getState().clearExplain();
}

/**
 * Started once with the app: the marks and the explanation are dropped once the document is
 * another one than the one they were made of (an edit, an undo, a reload, another file): they
 * would describe a graph that is no longer there.
 */
export function startLineageWiring(): () => void {
  return useDoc.subscribe((s) => {
    const l = useLineage.getState();
    if (!l.of || s.doc === l.of) return;
    clearLineage();
    closeExplain();
    useLineage.getState().set({ of: null });
  });
}
