import { errorMessage } from '../../shared/api/envelope';
import type { PipelineDoc } from '../../shared/api/schemas';
import { serializePipeline } from '../../shared/pipeline/canonical';
import { liftAnnotations } from '../../shared/pipeline/annotations';
import { pipelineV1, type Pipeline } from '../../shared/pipeline/schema';
import { api } from '../api/client';
import { flushDraft } from '../document/autosave';
import { useDoc } from '../document/doc-store';
import { noteDiskChange, useDiskChange } from '../document/disk-change';
import { refreshGit } from '../workspace/git-store';
import { clearPreview, previewSelected } from '../preview/preview-actions';
import { cancelRun as cancelActiveRun, startRun } from '../run/run-actions';
import { useRunConfig } from '../run/run-config-store';
import { scopedRun, type RunScope } from '../run/run-scope';
import { useRun } from '../run/run-store';
import { useUi } from '../ui/ui-store';
import { refreshWorkspace } from '../workspace/workspace-actions';
import { useWorkspace } from '../workspace/workspace-store';
import { pipelineToOpen, rememberPipeline } from './early-requests';
import { requestStart, takeFirstRead } from './start-requests';

/** The user-level actions: each calls the API and updates the stores, reporting failures as toasts. */

const fail = (e: unknown) => useUi.getState().notify('error', errorMessage(e));

/**
 * True when there are no unsaved changes, or the user agrees to leave them. They stay in the
 * draft, written here before anything else is opened (the API would refuse the old file once
 * another workspace is open), and are offered when the file is opened again.
 */
async function mayLeave(): Promise<boolean> {
  const { dirty, doc } = useDoc.getState();
  if (dirty && doc && !window.confirm(`"${doc.name}" has unsaved changes. Leave it? (A draft is kept and offered when you open it again.)`)) return false;
  await flushDraft();
  return true;
}

async function loadDoc(root: string, doc: PipelineDoc): Promise<void> {
  useDoc.getState().load({ root, path: doc.path, pipeline: doc.pipeline, text: doc.text, sha256: doc.sha256 });
  // The file's text is the document's canonical form unless it was not written by Weir (or was
  // upgraded on load); load() has found out which, so the document is serialized once, not twice.
  const canonical = useDoc.getState().savedDoc === doc.pipeline ? doc.text : serializePipeline(doc.pipeline);
  useRun.getState().clear();
  clearPreview();
  rememberPipeline(root, doc.path);
  const { draft } = await api.call('drafts.get', { root, path: doc.path });
  // A draft differing from the file is unsaved work from a crash (or a closed tab).
  useUi.getState().setRecovery(draft && draft.text !== canonical ? draft : null);
  if (doc.migratedFrom !== null) useUi.getState().notify('info', `${doc.path} is in format version ${doc.migratedFrom}; it was upgraded on load and is saved in the current version.`);
}

/**
 * Which opening of a pipeline is the latest: a read that answers after the user opened another
 * pipeline (the workspace's first one, read as the page started, answering after a click in the
 * sidebar; or two clicks in a row) is not shown over the one asked for last.
 */
let openSeq = 0;

export async function openPipeline(path: string): Promise<void> {
  const root = useWorkspace.getState().workspace?.root;
  if (!root || !(await mayLeave())) return;
  const seq = ++openSeq;
  try {
    const doc = await api.call('pipeline.read', { root, path });
    if (seq === openSeq) await loadDoc(root, doc);
  } catch (e) {
    fail(e);
  }
}

export async function openWorkspace(root: string): Promise<void> {
  if (!(await mayLeave())) return;
  try {
    const workspace = await api.call('workspace.open', { root });
    await showWorkspace(workspace);
  } catch (e) {
    fail(e);
  }
}

export async function openSample(): Promise<void> {
  if (!(await mayLeave())) return;
  try {
    await showWorkspace(await api.call('workspace.openSample', {}));
  } catch (e) {
    fail(e);
  }
}

/** `recent`: the list as the caller already has it (app.start sends it), saving a round trip before the pipeline loads. */
async function showWorkspace(workspace: NonNullable<ReturnType<typeof useWorkspace.getState>['workspace']>, known?: string[]): Promise<void> {
  const recent = known ?? (await api.call('workspace.recent', {})).recent;
  useWorkspace.getState().set({ workspace, recent, notice: null });
  useRunConfig.getState().load(workspace.root);
  useDoc.getState().close();
  useUi.getState().setRecovery(null);
  useRun.getState().clear();
  void refreshGit();
  const pick = pipelineToOpen(workspace);
  if (!pick) return;
  const seq = ++openSeq;
  const doc = (await takeFirstRead(workspace.root, pick)) ?? (await api.call('pipeline.read', { root: workspace.root, path: pick }));
  if (seq === openSeq) await loadDoc(workspace.root, doc);
}

let started = false;

export async function startApp(): Promise<void> {
  // Once per page, even where React runs effects twice (development).
  if (started) return;
  started = true;
  try {
    // Sent as the page began (main.tsx), with the first pipeline's read after it.
    const info = await requestStart();
    useWorkspace.getState().set({ shell: info.shell, version: info.version, recent: info.recent, notice: info.notice });
    if (info.workspace) await showWorkspace(info.workspace, info.recent);
    if (info.notice) useUi.getState().notify('info', info.notice);
  } catch (e) {
    useWorkspace.getState().set({ notice: errorMessage(e) });
  }
}

export async function newPipeline(name: string): Promise<boolean> {
  const root = useWorkspace.getState().workspace?.root;
  if (!root) return false;
  if (!(await mayLeave())) return false;
  const seq = ++openSeq;
  try {
    const doc = await api.call('pipeline.create', { root, name });
    await refreshWorkspace();
    if (seq === openSeq) await loadDoc(root, doc);
    return true;
  } catch (e) {
    fail(e);
    return false;
  }
}

export async function save(): Promise<boolean> {
  const { root, path, doc, baseSha256 } = useDoc.getState();
  if (!root || !path || !doc) return false;
  try {
    const saved = await api.call('pipeline.save', { root, path, pipeline: doc, expectSha256: baseSha256 });
    useDoc.getState().markSaved(saved.text, saved.sha256);
    useUi.getState().setRecovery(null);
    const problems = saved.issues.length;
    useUi.getState().notify(problems ? 'info' : 'success', problems ? `Saved ${path}, with ${problems} problem${problems > 1 ? 's' : ''} to fix before it can run.` : `Saved ${path}`);
    void refreshWorkspace();
    return true;
  } catch (e) {
    // Changed on disk since it was read: the same choice as when the watcher notices it.
    const hash = await diskHash(root, path);
    const change = hash === undefined ? null : await noteDiskChange(path, hash);
    if (change) useUi.getState().notify('error', `${path} was ${change.sha256 === null ? 'deleted' : 'changed'} on disk since it was opened: Reload it, or Keep mine and save again.`);
    else fail(e);
    return false;
  }
}

/** The file's hash as pipeline.read gives it; null when it is gone; undefined when it cannot be read as a pipeline (the watcher then tells). */
async function diskHash(root: string, path: string): Promise<string | null | undefined> {
  try {
    return (await api.call('pipeline.read', { root, path })).sha256;
  } catch (e) {
    return /no such (pipeline )?file|ENOENT/i.test(errorMessage(e)) ? null : undefined;
  }
}

/**
 * Reload: the file as it is on disk now replaces the document. Unsaved edits are not thrown
 * away: they stay in the draft, which the recovery banner then offers (Restore brings them back).
 */
export async function reloadFromDisk(): Promise<void> {
  const { change } = useDiskChange.getState();
  const root = useWorkspace.getState().workspace?.root;
  if (!change?.disk || !root || useDoc.getState().path !== change.path) return;
  await flushDraft();
  await loadDoc(root, change.disk);
}

export async function saveAs(newPath: string): Promise<boolean> {
  const { root, path, doc } = useDoc.getState();
  if (!root || !doc) return false;
  try {
    const saved = await api.call('pipeline.save', { root, path: newPath, pipeline: doc, expectSha256: null });
    if (path) void api.call('drafts.discard', { root, path }).catch(() => {});
    useDoc.getState().markSaved(saved.text, saved.sha256, newPath);
    rememberPipeline(root, newPath);
    useUi.getState().notify('success', `Saved as ${newPath}`);
    await refreshWorkspace();
    return true;
  } catch (e) {
    fail(e);
    return false;
  }
}

/** Runs the file as saved (a run record names the file's hash): unsaved changes are saved first. */
export function run(): Promise<void> {
  return startRun(save);
}

/** Runs some lots of a partitioned pipeline (the lots panel), saving first like `run`. */
export function runLots(keys: string[]): Promise<void> {
  return startRun(save, keys);
}

/** Run from here / to here / this node (the card's menu, the inspector): the engine's selection, saving first like `run`. */
export function runScoped(nodeId: string, scope: RunScope): Promise<void> {
  const doc = useDoc.getState().doc;
  const scoped = doc ? scopedRun(doc.nodes, nodeId, scope) : null;
  if (!scoped) return Promise.resolve();
  return startRun(save, undefined, scoped.select);
}

export function cancelRun(): Promise<void> {
  return cancelActiveRun();
}

/** Previews the selected node (or `nodeId`) in the panel under the canvas. */
export async function preview(nodeId?: string): Promise<void> {
  if (!useDoc.getState().doc || !previewSelected(nodeId)) useUi.getState().notify('info', 'Select a node to preview.');
}

export function restoreDraft(): void {
  const draft = useUi.getState().recovery;
  if (!draft) return;
  try {
    // a draft is written as the file is: its notes and frames are in layout
    const parsed = pipelineV1.safeParse(liftAnnotations(JSON.parse(draft.text) as unknown));
    if (!parsed.success) throw new Error('the draft is not a readable pipeline');
    const restored: Pipeline = parsed.data;
    useDoc.getState().apply(() => restored, { select: [] });
    useUi.getState().setRecovery(null);
    useUi.getState().notify('success', 'Unsaved changes restored. Save to keep them.');
  } catch (e) {
    fail(e);
  }
}

export async function discardDraft(): Promise<void> {
  const { root, path } = useDoc.getState();
  if (root && path) await api.call('drafts.discard', { root, path }).catch(fail);
  useUi.getState().setRecovery(null);
  // Edits made while the recovered draft was offered were not drafted (autosave leaves an offered draft alone): now they are.
  await flushDraft(true);
}
