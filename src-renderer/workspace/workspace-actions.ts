import { api } from '../api/client';
import { refreshGit } from './git-store';
import { useWorkspace } from './workspace-store';

/** Lists the workspace's pipelines again (after save, commit, restore, connection edits), and its git state. */
export async function refreshWorkspace(): Promise<void> {
  const ws = useWorkspace.getState().workspace;
  if (!ws) return;
  try {
    const workspace = await api.call('workspace.open', { root: ws.root });
    useWorkspace.getState().set({ workspace });
    void refreshGit();
  } catch {
    // the list stays as it was
  }
}
