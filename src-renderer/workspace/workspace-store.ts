import { create } from 'zustand';
import type { WorkspaceInfo } from '../../shared/api/schemas';

interface WorkspaceState {
  shell: 'electron' | 'browser' | null;
  version: string;
  workspace: WorkspaceInfo | null;
  recent: string[];
  notice: string | null;
  set(patch: Partial<Omit<WorkspaceState, 'set'>>): void;
}

export const useWorkspace = create<WorkspaceState>()((set) => ({
  shell: null,
  version: '',
  workspace: null,
  recent: [],
  notice: null,
  set: (patch) => set(patch),
}));
