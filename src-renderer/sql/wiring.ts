import { observeCalls } from '../api/call-observer';
import { api } from '../api/client';
import { preloadSqlEditor } from './SqlEditor';
import { documentCalls } from '../document/document-calls';
import { useDoc } from '../document/doc-store';
import { onDocEdited, onNodeCall, onRunEvent, useSqlMarkers, type NodeCallInput } from './sql-markers-store';

/** Error markers follow every call about one node of the open pipeline (preview, profile, input schemas), runs, and the open pipeline. */
function startSqlMarkers(): () => void {
  // A call may carry edits only: the markers read the whole document it stood for.
  const offCalls = observeCalls((method, input, error) => onNodeCall(method, { ...((input ?? {}) as NodeCallInput), pipeline: documentCalls.documentOf(input) }, error));
  const offRun = api.on('run.event', ({ path, event }) => onRunEvent(path, event));
  const offDoc = useDoc.subscribe((s, prev) => {
    if (s.path !== prev.path || s.root !== prev.root) useSqlMarkers.getState().reset(s.path);
    else if (s.doc !== prev.doc) onDocEdited(s.path, prev.doc, s.doc);
  });
  return () => {
    offCalls();
    offRun();
    offDoc();
  };
}

/** Without a pipeline open this long, Monaco is fetched anyway. */
const PRELOAD_WITHOUT_PIPELINE_MS = 3000;

/**
 * The SQL editor's background work, started with the page: error markers follow previews
 * and runs from the start, and Monaco is fetched once the first pipeline is on the canvas
 * and the page is idle, so the first SQL node opens at once while the canvas never waits
 * for it. Fetched earlier (while the page waited for the pipeline), evaluating its 3.7 MB
 * took the main thread from the first render of a 1000-node pipeline.
 */
export function startSqlEditorSupport(): () => void {
  const stopMarkers = startSqlMarkers();
  const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 1500));
  let handle: number | undefined;
  let stopWaiting: (() => void) | null = null;
  const preload = () => {
    stopWaiting?.();
    stopWaiting = null;
    window.clearTimeout(fallback);
    // The idle callback runs after React has rendered the pipeline just set.
    handle ??= idle(() => preloadSqlEditor(), { timeout: 4000 });
  };
  const fallback = window.setTimeout(preload, PRELOAD_WITHOUT_PIPELINE_MS);
  if (useDoc.getState().doc) preload();
  else stopWaiting = useDoc.subscribe((s) => s.doc && preload());
  return () => {
    stopMarkers();
    stopWaiting?.();
    window.clearTimeout(fallback);
    if (handle !== undefined) window.cancelIdleCallback?.(handle);
  };
}
