import { useMemo } from 'react';
import type { Pipeline } from '../../shared/pipeline/schema';
import { useDoc } from '../document/doc-store';
import type { EngineProblem } from '../document/engine-problems';
import { upstreamSignature } from '../preview/preview-signature';
import { usePreview } from '../preview/preview-store';
import { useRun } from '../run/run-store';
import { useSqlMarkers, type SqlMarker } from '../sql/sql-markers-store';
import { collectProblems } from './collect';
import { nodeProblem, type Problem } from './problem';

const NONE: readonly Problem[] = [];
const NO_MARKERS: Readonly<Record<string, SqlMarker>> = {};

/**
 * Every problem of the open pipeline (problems/collect.ts), kept current from the stores that
 * hold their sources: the document's issues, the preview panel, the run on show, the SQL
 * markers and the input schemas the SQL editor and the column check asked for.
 */
export function useProblems(): readonly Problem[] {
  const doc = useDoc((s) => s.doc);
  const path = useDoc((s) => s.path);
  const issues = useDoc((s) => s.issues);
  const localIssues = useDoc((s) => s.localIssues);
  const pvNode = usePreview((s) => s.nodeId);
  const pvError = usePreview((s) => s.error);
  const pvErrorNode = usePreview((s) => s.errorNodeId);
  const pvRefused = usePreview((s) => s.refused);
  const pvSignature = usePreview((s) => s.errorSignature);
  const runPath = useRun((s) => s.path);
  const runNodes = useRun((s) => s.nodes);
  const runError = useRun((s) => s.error);
  const markers = useSqlMarkers((s) => (s.path === path ? s.byNode : NO_MARKERS));
  const columnIssues = useDoc((s) => s.columnProblems);
  const pvAt = pvErrorNode ?? pvNode;
  // Only while the failure is about the document as it is (an edit of the failed node or its upstream makes it old news).
  const pvCurrent = useMemo(() => !pvSignature || !doc || !pvAt || !doc.nodes.some((n) => n.id === pvAt) || upstreamSignature(doc, pvAt) === pvSignature, [doc, pvAt, pvSignature]);
  const columns = useMemo(() => (doc ? columnsAsProblems(doc, columnIssues) : NONE), [doc, columnIssues]);
  return useMemo(
    () =>
      doc
        ? collectProblems({
            doc,
            path,
            issues,
            localIssues,
            columns,
            preview: { nodeId: pvNode, error: pvError, errorNodeId: pvErrorNode, refused: pvRefused, current: pvCurrent },
            run: { path: runPath, nodes: runNodes, error: runError },
            markers,
          })
        : NONE,
    [doc, path, issues, localIssues, columns, pvNode, pvError, pvErrorNode, pvRefused, pvCurrent, runPath, runNodes, runError, markers],
  );
}

const NO_FIELDS: ReadonlyMap<string, string[]> = new Map();

/** The document store's column problems (column-watch.ts) as problems of their nodes. */
function columnsAsProblems(doc: Pipeline, found: readonly EngineProblem[]): readonly Problem[] {
  if (!found.length) return NONE;
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  return found.flatMap((p) => {
    const node = p.nodeId ? byId.get(p.nodeId) : undefined;
    return node ? [nodeProblem(node, 'columns', p.path, p.message)] : [];
  });
}

/**
 * A node's input columns that do not exist, by the form's field path (`on.0.left`), for its
 * form to show under the field, as it shows the field's own schema problems.
 */
export function useColumnIssues(nodeId: string): ReadonlyMap<string, string[]> {
  const found = useDoc((s) => s.columnProblems);
  return useMemo(() => {
    const mine = found.filter((p) => p.nodeId === nodeId);
    if (!mine.length) return NO_FIELDS;
    const out = new Map<string, string[]>();
    for (const p of mine) {
      const key = p.path.replace(/^config\.?/, '').replace(/\[(\d+)\]/g, '.$1');
      out.set(key, [...(out.get(key) ?? []), p.message]);
    }
    return out;
  }, [found, nodeId]);
}
