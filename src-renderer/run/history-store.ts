import { create } from 'zustand';
import type { z } from 'zod';
import type { RunSummary } from '../../shared/api/schemas';
import type { runReleaseStatus } from '../../shared/api/gxp-schemas';

export type RunRelease = z.infer<typeof runReleaseStatus>;
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
  /** Release state and signatures by run id (issue #18), from release.status. */
  release: Record<string, RunRelease>;
  /** The run whose Sign dialog is open. */
  signing: string | null;
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
  release: {},
  signing: null,
  set: (patch) => set(patch),
}));
