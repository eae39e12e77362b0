import { ApiError, errorMessage } from '../../shared/api/envelope';
import { nodeKindSpec } from '../../shared/nodes/registry';
import { selectNodes } from '../../shared/pipeline/graph';
import { describeIssue } from '../../shared/pipeline/issue-place';
import type { RunEvent } from '../../shared/run/events';
import { api } from '../api/client';
import { useDoc } from '../document/doc-store';
import { refusal, runBlocker } from '../document/engine-problems';
import { useHistory } from './history-store';
import { loadReleaseStates } from './sign-actions';
import { usePanel } from '../ui/panel-store';
import { engineProblemsNow } from './problem-actions';
import { isProtectedEnvironment, runOptions } from './run-options';
import { useRunConfig } from './run-config-store';
import { isRunning, useRun } from './run-store';
import { useUi } from '../ui/ui-store';
import { useWorkspace } from '../workspace/workspace-store';


/**
 * Starts a run of the saved file with the environment and parameter values of the panels.
 * `save` is called first when the document has unsaved changes (the run record names the
 * file's hash, so what runs is what is on disk). A document the engine would refuse (its
 * preflight: the sandbox's SQL and path checks, parameters, environment, connections) is
 * neither saved nor run: the first problem is shown instead. `partitions`: a partitioned
 * pipeline's lots to run (the lots panel's "Run"); by default its new, changed and failed lots.
 * `select`: the engine's selection (`weir run --select`), for run from here / to here / this node.
 */
export async function startRun(save: () => Promise<boolean>, partitions?: string[], select?: string): Promise<void> {
  // A second press while the engine's answer or the save is awaited must not start a second run.
  if (starting) return;
  starting = true;
  try {
    await startRunOnce(save, partitions, select);
  } finally {
    starting = false;
  }
}

let starting = false;

async function startRunOnce(save: () => Promise<boolean>, partitions?: string[], select?: string): Promise<void> {
  const { root, path } = useDoc.getState();
  if (!root || !path) return;
  if (isRunning(useRun.getState().phase)) return;
  const { problems, ...options } = runOptions();
  const bad = Object.entries(problems);
  if (bad.length) {
    usePanel.getState().show('params');
    useUi.getState().notify('error', `Parameter ${bad[0]![0]}: ${bad[0]![1]}`);
    return;
  }
  // The designer's own checks: the engine would refuse the file for each of them, in JSON paths.
  const { doc, localIssues } = useDoc.getState();
  if (doc && localIssues.length) {
    const more = localIssues.length > 1 ? ` (and ${localIssues.length - 1} more problem${localIssues.length > 2 ? 's' : ''})` : '';
    useUi.getState().notify('error', `Cannot run: ${describeIssue(doc, localIssues[0]!)}${more}`);
    return;
  }
  const engine = await engineProblemsNow();
  const first = engine ? runBlocker(engine) : null;
  if (first) {
    useUi.getState().notify('error', refusal('run', first, engine!.length));
    return;
  }
  // Asked only about a run that would start: not one refused above anyway.
  if (options.environment && isProtectedEnvironment(options.environment) && !confirmProtectedRun(options.environment, select)) return;
  if (useDoc.getState().dirty && !(await save())) return;
  useRun.getState().begin(path);
  cancelAsked = false;
  try {
    const reason = useRunConfig.getState().reason.trim();
    const { runId } = await api.call('pipeline.run', { root, path, ...options, ...(partitions ? { partitions } : {}), ...(select ? { select } : {}), ...(reason ? { reason } : {}) });
    // A reason is about one run: the next one gives its own.
    useRunConfig.getState().setReason('');
    useRun.getState().started(runId);
    if (cancelAsked) await cancelRun();
  } catch (e) {
    // A partitioned pipeline with nothing to run (every lot up to date, or none listed yet):
    // news, not a failed run.
    if (e instanceof ApiError && e.kind === 'usage' && e.message.startsWith('No lot to run: ')) {
      useRun.getState().clear();
      useUi.getState().notify('info', e.message);
      return;
    }
    useRun.getState().fail(errorMessage(e));
    useUi.getState().notify('error', errorMessage(e));
  }
}

/**
 * A run against a protected environment publishes where others read (production marts and
 * lake): the user confirms it first, naming the outputs it will write. Previews only read, and
 * are not asked about.
 */
function confirmProtectedRun(env: string, select?: string): boolean {
  const doc = useDoc.getState().doc;
  if (!doc) return false;
  // A scoped run publishes only the sinks it chose (the engine's plan: unselected sinks never publish).
  let chosen: Set<string> | null = null;
  try {
    chosen = select ? selectNodes(doc.nodes, select) : null;
  } catch {
    chosen = null;
  }
  const outputs = doc.nodes.filter((n) => nodeKindSpec(n.kind)?.category === 'sink' && (!chosen || chosen.has(n.id))).map((n) => n.name);
  const publishes = outputs.length ? `It publishes ${outputs.length} output${outputs.length > 1 ? 's' : ''} there: ${outputs.slice(0, 8).join(', ')}${outputs.length > 8 ? ', …' : ''}.` : 'It has no outputs, but reads with the connections of this environment.';
  return window.confirm(`Run "${doc.name}" against ${env}? ${env} is a protected environment. ${publishes}`);
}

/**
 * Cancel was clicked while the run was starting (the button is live from the click on Run,
 * the run id comes with the engine's answer): the run is cancelled as soon as it has an id.
 */
let cancelAsked = false;

export async function cancelRun(): Promise<void> {
  const { runId, phase } = useRun.getState();
  if (!runId) {
    if (isRunning(phase)) cancelAsked = true;
    return;
  }
  cancelAsked = false;
  try {
    await api.call('run.cancel', { runId });
  } catch (e) {
    useUi.getState().notify('error', errorMessage(e));
  }
}

/** Events from the main process: progress on the cards; at the end, the record's check results. */
export function onRunEvent(path: string, event: RunEvent): void {
  if (!useWorkspace.getState().workspace?.root) return;
  useRun.getState().onEvent(path, event);
  if (event.type === 'run_finished' && useRun.getState().runId === event.runId) {
    void attachRecord(event.runId);
    void loadHistory();
  }
}

async function attachRecord(runId: string): Promise<void> {
  const root = useWorkspace.getState().workspace?.root;
  if (!root) return;
  try {
    const { record } = await api.call('runs.get', { root, runId });
    useRun.getState().attachRecord(record);
  } catch {
    // No record (written elsewhere, or --no-record): the cards keep what the events said.
  }
}

export async function loadHistory(): Promise<void> {
  const root = useWorkspace.getState().workspace?.root;
  if (!root) return;
  useHistory.getState().set({ loading: true, error: null });
  try {
    const { runs } = await api.call('runs.list', { root, limit: 200 });
    useHistory.getState().set({ runs, loading: false });
    void loadReleaseStates();
  } catch (e) {
    useHistory.getState().set({ loading: false, error: errorMessage(e) });
  }
}

export async function selectHistoryRun(runId: string): Promise<void> {
  const root = useWorkspace.getState().workspace?.root;
  if (!root) return;
  useHistory.getState().set({ selected: runId, record: null, recordError: null });
  try {
    const { record } = await api.call('runs.get', { root, runId });
    if (useHistory.getState().selected === runId) useHistory.getState().set({ record });
  } catch (e) {
    if (useHistory.getState().selected === runId) useHistory.getState().set({ recordError: errorMessage(e) });
  }
}

/** Shows a past run's statuses, rows and check results on the canvas cards. */
export function showHistoryRunOnCanvas(): void {
  const { record } = useHistory.getState();
  const path = useDoc.getState().path;
  if (!record || !path || isRunning(useRun.getState().phase)) return;
  useRun.getState().showRecord(path, record);
}
