import type { Pipeline, PipelineNode } from '../../shared/pipeline/schema';
import { useDoc } from '../document/doc-store';
import type { EngineProblem } from '../document/engine-problems';
import { inputsKey, requestInputSchemas, useSqlAssist, type InputSchemas } from '../sql/sql-assist-store';
import { columnProblems, namesInputColumns } from './column-problems';

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

const sameProblems = (a: readonly EngineProblem[], b: readonly EngineProblem[]) =>
  a.length === b.length && a.every((x, i) => x.nodeId === b[i]!.nodeId && x.path === b[i]!.path && x.message === b[i]!.message);

/**
 * Keeps the document store's column problems current: what the inputs' described columns say
 * about the fields that name them, again whenever the graph or a description changes. The
 * store joins them to the issues, so the cards, the inspector and the count show them.
 */
function publishColumnProblems(): void {
  const { doc, path, columnProblems: before, setColumnProblems } = useDoc.getState();
  if (!doc || !path) return;
  const found = columnProblems(doc, knownColumns(useSqlAssist.getState().schemas, doc, path)).map(
    (p): EngineProblem => ({ nodeId: p.nodeId, path: p.field, message: p.message }),
  );
  if (!sameProblems(found, before)) setColumnProblems(found);
}

/** After an edit: the column check waits for typing to pause. */
const DELAY_MS = 800;
/**
 * Nodes asked about per pass: the schema cache keeps 64 entries (sql-assist-store), and a
 * pass must not push out what the one before it fetched, nor keep the engine busy on a big
 * pipeline (the selected node's inputs are always asked by its form).
 */
const MAX_NODES = 24;

/**
 * Asks, in the background, for the input columns of every node whose settings name columns
 * of its inputs (joins, aggregates, checks...), a moment after the graph changes, so that a
 * column that does not exist (a join's default `id = id`) is a problem before anything runs,
 * whichever node is selected; and publishes what they say to the document store. Returns the unsubscribe.
 */
export function startColumnWatch(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ask = () => {
    const { doc, path } = useDoc.getState();
    if (!doc || !path) return;
    let asked = 0;
    for (const n of doc.nodes) {
      if (asked >= MAX_NODES) break;
      if (n.inputs.length === 0 || !namesInputColumns(n.kind)) continue;
      requestInputSchemas(n.id);
      asked++;
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY_MS);
  };
  const off = useDoc.subscribe((s, prev) => {
    if (!s.doc || !s.path) return clearTimeout(timer);
    if (s.path !== prev.path || !prev.doc || s.doc.nodes !== prev.doc.nodes) {
      publishColumnProblems();
      later();
    }
  });
  const offSchemas = useSqlAssist.subscribe((s, prev) => s.schemas !== prev.schemas && publishColumnProblems());
  if (useDoc.getState().doc) {
    publishColumnProblems();
    later();
  }
  return () => {
    clearTimeout(timer);
    off();
    offSchemas();
  };
}
