import { serializePipeline } from '../../shared/pipeline/canonical';
import { api } from '../api/client';
import { useUi } from '../ui/ui-store';
import { useDoc, type DocState } from './doc-store';

const DELAY_MS = 700;

/**
 * Keeps unsaved work in the workspace's .weir/drafts while the document is dirty, so a crash
 * loses at most the last moment.
 *
 * A draft is the user's work, so it is deleted only when the user says so: Save (the service
 * drops it with the write), Discard in the recovery banner, or undoing every edit back to the
 * file within the same opening of it (the draft this tab wrote then holds nothing the file
 * does not). Reading the file again (reopening it, another pipeline, another workspace, a
 * reload) never deletes it: issue #15 item 1 lost work exactly so.
 */

type Where = Pick<DocState, 'root' | 'path' | 'opened'>;

let timer: ReturnType<typeof setTimeout> | null = null;
/** The opening of a file this tab wrote a draft for (and so may forget it when undone). */
let drafted: Where | null = null;

const same = (a: Where | null, b: Where) => !!a && a.root === b.root && a.path === b.path && a.opened === b.opened;

/**
 * A draft recovered when the file was opened and not yet restored or discarded: it is older
 * work the user has not decided about, so new edits do not overwrite it (they are drafted
 * once the user picks Restore or Discard).
 */
const offered = (path: string) => useUi.getState().recovery?.path === path;

/** The draft write or discard under way: whoever reads the file next waits for it. */
let inflight: Promise<void> = Promise.resolve();

function flush(s: DocState): Promise<void> {
  const done = inflight.then(() => write(s));
  inflight = done;
  return done;
}

function write(s: DocState): Promise<void> {
  const { root, path, doc, dirty, baseSha256 } = s;
  if (!root || !path || !doc || offered(path)) return Promise.resolve();
  if (dirty) {
    drafted = { root, path, opened: s.opened };
    return api.call('drafts.save', { root, path, text: serializePipeline(doc), baseSha256 }).then(
      () => undefined,
      () => undefined,
    );
  }
  if (same(drafted, s)) {
    drafted = null;
    return api.call('drafts.discard', { root, path }).then(
      () => undefined,
      () => undefined,
    );
  }
  return Promise.resolve();
}

/**
 * Writes the draft now if one is due (before the document is left: another pipeline, another
 * workspace, whose API calls would no longer accept this file), or, with `always`, whatever
 * the current state asks for (after the recovered draft was discarded).
 */
export function flushDraft(always = false): Promise<void> {
  // A write the timer already started is waited for too: a reload that read the file's drafts
  // before it landed offered nothing back (seen in a loaded e2e run).
  if (!timer && !always) return inflight;
  if (timer) clearTimeout(timer);
  timer = null;
  return flush(useDoc.getState());
}

export function startAutosave(): () => void {
  const unsubscribe = useDoc.subscribe((s, prev) => {
    if (s.revision === prev.revision && s.dirty === prev.dirty && s.opened === prev.opened) return;
    // Another file (or none) is shown now: what was due for the one before is written at once,
    // before the timer below would find the new document instead.
    if (s.opened !== prev.opened && timer) {
      clearTimeout(timer);
      timer = null;
      void flush(prev);
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void flush(useDoc.getState());
    }, DELAY_MS);
  });
  const onHide = () => void flushDraft();
  window.addEventListener('pagehide', onHide);
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    timer = null;
    window.removeEventListener('pagehide', onHide);
  };
}
