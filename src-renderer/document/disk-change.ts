import { create } from 'zustand';
import { errorMessage } from '../../shared/api/envelope';
import type { PipelineDoc } from '../../shared/api/schemas';
import { api } from '../api/client';
import { useDoc } from './doc-store';

/**
 * The open pipeline's file changed on disk, outside the app (git checkout, pull, another
 * editor), while the designer holds another version of it: shown with Reload / Keep mine
 * and the semantic diff between the two (shell/DiskChangeBanner.tsx).
 */
export interface DiskChange {
  path: string;
  /** The file's hash now; null when it was deleted. */
  sha256: string | null;
  /** The file as it is now, read again; null when deleted or no longer readable as a pipeline. */
  disk: PipelineDoc | null;
  /** Why the file cannot be read as a pipeline (a merge left conflict markers…). */
  error: string | null;
}

export const useDiskChange = create<{ change: DiskChange | null }>()(() => ({ change: null }));

/**
 * The watcher (or a refused save) says the open file is now `sha256` (null: deleted). Reads
 * it and marks the change, unless the document is that version already (a save of our own, a
 * reload) or another file is open by the time the answer comes. Returns the change marked.
 */
export async function noteDiskChange(path: string, sha256: string | null): Promise<DiskChange | null> {
  const at = useDoc.getState();
  if (!at.root || at.path !== path || at.baseSha256 === sha256) return null;
  let disk: PipelineDoc | null = null;
  let error: string | null = null;
  if (sha256 !== null) {
    try {
      disk = await api.call('pipeline.read', { root: at.root, path });
    } catch (e) {
      error = errorMessage(e);
    }
  }
  const now = useDoc.getState();
  if (now.opened !== at.opened || now.path !== path) return null;
  const hash = disk ? disk.sha256 : sha256;
  if (hash === now.baseSha256) return null;
  const change: DiskChange = { path, sha256: hash, disk, error };
  useDiskChange.setState({ change });
  return change;
}

/** Keep mine: the document stays as it is, and the next save writes it over the file as it is on disk now. */
export function keepMine(): void {
  const { change } = useDiskChange.getState();
  if (!change || useDoc.getState().path !== change.path) return;
  useDoc.getState().rebase({ text: change.disk?.text ?? null, sha256: change.sha256, pipeline: change.disk?.pipeline ?? null });
  useDiskChange.setState({ change: null });
}

/** Forgets the mark when another file is opened or the document's base version changes (a save, a reload, keep mine). */
export function startDiskChangeTracking(): () => void {
  return useDoc.subscribe((s, prev) => {
    if (s.opened === prev.opened && s.baseSha256 === prev.baseSha256) return;
    const { change } = useDiskChange.getState();
    if (change && (s.opened !== prev.opened || s.baseSha256 === change.sha256 || s.path !== change.path)) useDiskChange.setState({ change: null });
  });
}
