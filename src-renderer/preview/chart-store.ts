import { create } from 'zustand';
import type { ChartResult } from '../../shared/chart/results';
import type { ChartSpec, ChartWindow } from '../../shared/chart/spec';

/**
 * The preview's Chart tab: the chart being made for the node on show (its spec: saved on the
 * node, or suggested by its column types, then as the user changes it) and the last answer.
 */
export interface ChartState {
  /** The node the spec is for; another node starts from its own saved chart or the suggestion. */
  nodeId: string | null;
  spec: ChartSpec | null;
  result: ChartResult | null;
  loading: boolean;
  error: string | null;
  /** The plot area's width in CSS pixels: a line is reduced to about that many buckets. */
  width: number;
  /** A zoom (a drag across a line or scatter plot): the x window asked of the engine; null: every row. */
  window: ChartWindow | null;
  set(patch: Partial<Omit<ChartState, 'set'>>): void;
}

export const useChart = create<ChartState>()((set) => ({
  nodeId: null,
  spec: null,
  result: null,
  loading: false,
  error: null,
  width: 800,
  window: null,
  set: (patch) => set(patch),
}));
