import { useMemo } from 'react';
import type { Pipeline, PipelineNode } from '../../shared/pipeline/schema';
import { useDoc } from '../document/doc-store';
import { upstreamSignature } from '../preview/preview-signature';
import { usePreview } from '../preview/preview-store';
import { useRun } from '../run/run-store';
import { inputsKey, useSqlAssist, type InputSchemas } from '../sql/sql-assist-store';
import { useSqlMarkers, type SqlMarker } from '../sql/sql-markers-store';
import { collectProblems } from './collect';
import { columnProblems } from './column-problems';
import type { Problem } from './problem';

const NONE: readonly Problem[] = [];
const NO_MARKERS: Readonly<Record<string, SqlMarker>> = {};

/** The column names of a node's input as last described for the document as it is now; null while not known. */
export function knownColumns(schemas: Readonly<Record<string, InputSchemas>>, doc: Pipeline, path: string) {
  return (node: PipelineNode, input: number): readonly string[] | null => {
    const key = inputsKey(doc, path, node.id);
    const entry = key ? schemas[key] : undefined;
    if (entry?.status !== 'ready') return null;
    const id = node.inputs[input];
    const found = entry.inputs.find((i) => i.nodeId === id);
    return found && !found.error ? found.columns.map((c) => c.name) : null;
  };
}

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
  const schemas = useSqlAssist((s) => s.schemas);
  const pvAt = pvErrorNode ?? pvNode;
  // Only while the failure is about the document as it is (an edit of the failed node or its upstream makes it old news).
  const pvCurrent = useMemo(() => !pvSignature || !doc || !pvAt || !doc.nodes.some((n) => n.id === pvAt) || upstreamSignature(doc, pvAt) === pvSignature, [doc, pvAt, pvSignature]);
  const columns = useMemo(() => (doc && path ? columnProblems(doc, knownColumns(schemas, doc, path)) : NONE), [doc, path, schemas]);
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

/**
 * A node's input columns that do not exist, by the form's field path (`on.0.left`), for its
 * form to show under the field, as it shows the field's own schema problems.
 */
export function useColumnIssues(nodeId: string): ReadonlyMap<string, string[]> {
  const doc = useDoc((s) => s.doc);
  const path = useDoc((s) => s.path);
  const schemas = useSqlAssist((s) => s.schemas);
  return useMemo(() => {
    const node = doc?.nodes.find((n) => n.id === nodeId);
    if (!doc || !path || !node) return NO_FIELDS;
    const found = columnProblems(doc, knownColumns(schemas, doc, path), nodeId);
    if (!found.length) return NO_FIELDS;
    const out = new Map<string, string[]>();
    for (const p of found) {
      const key = p.field.replace(/^config\.?/, '').replace(/\[(\d+)\]/g, '.$1');
      out.set(key, [...(out.get(key) ?? []), p.message]);
    }
    return out;
  }, [doc, path, schemas, nodeId]);
}
