import { useDoc } from '../document/doc-store';
import { requestInputSchemas } from '../sql/sql-assist-store';
import { namesInputColumns } from './column-problems';

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
 * whichever node is selected. Returns the unsubscribe.
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
    if (s.path !== prev.path || !prev.doc || s.doc.nodes !== prev.doc.nodes) later();
  });
  if (useDoc.getState().doc) later();
  return () => {
    clearTimeout(timer);
    off();
  };
}
