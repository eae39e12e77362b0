import { create } from 'zustand';
import type { ProfileResultDto } from '../../shared/api/profile-schemas';
import type { PreviewResultDto } from '../../shared/api/schemas';
import type { PreviewFilter, PreviewSort } from '../../shared/preview/query';

export type PreviewView = 'rows' | 'profile' | 'chart';

/**
 * The preview panel: the node on show, its first rows, and its column profile. Answers
 * carry a sequence number (in preview-actions) so that a late answer for a node the user
 * has left never replaces the current one.
 */
export interface PreviewState {
  nodeId: string | null;
  loading: boolean;
  result: PreviewResultDto | null;
  error: string | null;
  /** The node the engine said the preview failed at (an upstream one, maybe); null when it did not say. */
  errorNodeId: string | null;
  /** The error is a refusal for a problem the problems list already shows (nothing was computed). */
  refused: boolean;
  /** What the failed node was computed from (preview-signature.ts): an edit of it makes the failure old news. */
  errorSignature: string | null;
  /** Counting every row (the "count rows" button). */
  counting: boolean;
  view: PreviewView;
  profile: ProfileResultDto | null;
  profileLoading: boolean;
  profileError: string | null;
  /** The grid's order and filters for the node on show, applied by DuckDB over all its rows; cleared for another node. */
  sort: PreviewSort | null;
  filters: PreviewFilter[];
  /**
   * A partitioned pipeline's lots as the last listing found them (LotPicker.tsx), and the one
   * previews read (null until the listing arrives: then the newest, the last value).
   */
  lots: string[];
  lot: string | null;
  set(patch: Partial<Omit<PreviewState, 'set'>>): void;
}

export const usePreview = create<PreviewState>()((set) => ({
  nodeId: null,
  loading: false,
  result: null,
  error: null,
  errorNodeId: null,
  refused: false,
  errorSignature: null,
  counting: false,
  view: 'rows',
  profile: null,
  profileLoading: false,
  profileError: null,
  sort: null,
  filters: [],
  lots: [],
  lot: null,
  set: (patch) => set(patch),
}));
