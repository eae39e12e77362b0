import { api } from '../api/client';
import { useConnections } from '../connections/connections-store';
import { startReviewWiring } from '../git/review-actions';
import { startLineageWiring } from '../lineage/lineage-actions';
import { useHistory } from '../run/history-store';
import { startLivePreview } from '../preview/preview-actions';
import { startEngineProblems } from '../run/problem-actions';
import { onRunEvent } from '../run/run-actions';
import { useRunConfig } from '../run/run-config-store';
import { useWorkspace } from '../workspace/workspace-store';

/**
 * The data side of the app, started once: run events onto the cards and the log, live
 * preview, the engine's problems with the document, and fresh history and connections when
 * another workspace opens.
 */
export function startDataWiring(): () => void {
  const offRun = api.on('run.event', ({ path, event }) => onRunEvent(path, event));
  const offReview = startReviewWiring();
  const offLineage = startLineageWiring();
  const offPreview = startLivePreview();
  const offProblems = startEngineProblems();
  const offWorkspace = useWorkspace.subscribe((s, prev) => {
    if (s.workspace?.root === prev.workspace?.root) return;
    useHistory.getState().set({ runs: [], selected: null, record: null, error: null, recordError: null });
    useConnections.getState().set({ info: null, tests: {}, editing: null, viewing: null, error: null });
  });
  // The Connections tab shows the environment in use again once another is picked.
  const offEnvironment = useRunConfig.subscribe((s, prev) => {
    if (s.environment !== prev.environment) useConnections.getState().set({ viewing: null, editing: null });
  });
  return () => {
    offEnvironment();
    offRun();
    offReview();
    offLineage();
    offPreview();
    offProblems();
    offWorkspace();
  };
}
