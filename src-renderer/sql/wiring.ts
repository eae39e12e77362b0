import { observeCalls } from '../api/call-observer';
import { api } from '../api/client';
import { preloadSqlEditor } from '../inspector/SqlEditor';
import { useDoc } from '../state/doc-store';
import { onNodeCall, onRunEvent, useSqlMarkers, type NodeCallInput } from '../state/sql-markers-store';

/** Error markers follow every call about one node of the open pipeline (preview, profile, input schemas), runs, and the open pipeline. */
function startSqlMarkers(): () => void {
  const offCalls = observeCalls((method, input, error) => onNodeCall(method, (input ?? {}) as NodeCallInput, error));
  const offRun = api.on('run.event', ({ path, event }) => onRunEvent(path, event));
  const offDoc = useDoc.subscribe((s, prev) => {
    if (s.path !== prev.path || s.root !== prev.root) useSqlMarkers.getState().reset(s.path);
  });
  return () => {
    offCalls();
    offRun();
    offDoc();
  };
}

/**
 * The SQL editor's background work, started with the page: error markers follow previews
 * and runs from the start, and Monaco is fetched once the page is idle, so the first SQL
 * node opens at once while the canvas never waits for it.
 */
export function startSqlEditorSupport(): () => void {
  const stopMarkers = startSqlMarkers();
  const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 1500));
  const handle = idle(() => preloadSqlEditor(), { timeout: 4000 });
  return () => {
    stopMarkers();
    window.cancelIdleCallback?.(handle);
  };
}
