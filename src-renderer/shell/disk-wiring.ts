import type { EventPayload } from '../../shared/api/contract';
import { api } from '../api/client';
import { noteDiskChange, startDiskChangeTracking } from '../document/disk-change';
import { useDoc } from '../document/doc-store';
import { useUi } from '../ui/ui-store';
import { refreshGit } from '../workspace/git-store';
import { refreshWorkspace } from '../workspace/workspace-actions';
import { useWorkspace } from '../workspace/workspace-store';
import { reloadFromDisk } from './commands';

/**
 * Changes made outside the app, as the main process reports them (`workspace.changed`): the
 * sidebar's list and git marks are asked again, and the open pipeline's file, if it changed,
 * is reloaded when the document has no unsaved changes (nothing is lost: as VS Code does) or
 * else marked, with Reload / Keep mine (DiskChangeBanner).
 */
async function onWorkspaceChanged({ root, changes, git }: EventPayload<'workspace.changed'>): Promise<void> {
  if (useWorkspace.getState().workspace?.root !== root) return;
  if (changes.length) void refreshWorkspace();
  else if (git) void refreshGit();
  const open = useDoc.getState().path;
  const mine = changes.find((c) => c.path === open);
  if (!mine) return;
  const change = await noteDiskChange(mine.path, mine.sha256);
  if (!change?.disk || useDoc.getState().dirty) return;
  await reloadFromDisk();
  useUi.getState().notify('info', `${mine.path} changed on disk and was reloaded.`);
}

export function startDiskWiring(): () => void {
  const offTracking = startDiskChangeTracking();
  const offEvents = api.on('workspace.changed', (payload) => void onWorkspaceChanged(payload));
  return () => {
    offTracking();
    offEvents();
  };
}
