import { create } from 'zustand';
import type { GitState, GitStatusInfo } from '../../shared/api/git-schemas';
import { api } from '../api/client';
import { useWorkspace } from './workspace-store';

/** The workspace's git state per pipeline file, for the sidebar markers and the Changes tab. */
interface GitStoreState {
  status: GitStatusInfo | null;
  byPath: ReadonlyMap<string, GitState>;
  /** Bumped on every refresh, so the Changes tab reloads its diff and history. */
  version: number;
}

export const useGit = create<GitStoreState>()(() => ({ status: null, byPath: new Map(), version: 0 }));

/** Asks git again (after open, save, commit, restore); a failure leaves no markers rather than stale ones. */
export async function refreshGit(): Promise<void> {
  const root = useWorkspace.getState().workspace?.root;
  if (!root) return;
  try {
    const status = await api.call('git.status', { root });
    useGit.setState((s) => ({ status, byPath: new Map(status.files.map((f) => [f.path, f.state])), version: s.version + 1 }));
  } catch {
    useGit.setState((s) => ({ status: null, byPath: new Map(), version: s.version + 1 }));
  }
}

export const GIT_MARK: Record<GitState, { mark: string; title: string }> = {
  new: { mark: 'N', title: 'new: never committed' },
  modified: { mark: 'M', title: 'modified since the last commit' },
  committed: { mark: '✓', title: 'committed' },
  deleted: { mark: 'D', title: 'deleted since the last commit' },
  conflicted: { mark: '!', title: 'merge conflict' },
};
