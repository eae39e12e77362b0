import { create } from 'zustand';
import type { PreviewResultDto } from '../../shared/api/schemas';

/** The last preview asked for (the grid itself comes with the SQL editor work). */
interface PreviewState {
  nodeId: string | null;
  loading: boolean;
  result: PreviewResultDto | null;
  error: string | null;
  set(patch: Partial<Omit<PreviewState, 'set'>>): void;
}

export const usePreview = create<PreviewState>()((set) => ({
  nodeId: null,
  loading: false,
  result: null,
  error: null,
  set: (patch) => set(patch),
}));
