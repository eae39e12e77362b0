import { create } from 'zustand';
import type { RunSummary } from '../../shared/api/schemas';
import type { RunRecord } from '../../shared/run/record';

/** Run history: the workspace's run records, newest first, and the one opened. */
interface HistoryState {
  runs: RunSummary[];
  loading: boolean;
  error: string | null;
  selected: string | null;
  record: RunRecord | null;
  recordError: string | null;
  /** Only the open pipeline's runs (default), or every run of the workspace. */
  onlyThisPipeline: boolean;
  set(patch: Partial<Omit<HistoryState, 'set'>>): void;
}

export const useHistory = create<HistoryState>()((set) => ({
  runs: [],
  loading: false,
  error: null,
  selected: null,
  record: null,
  recordError: null,
  onlyThisPipeline: true,
  set: (patch) => set(patch),
}));
