import { create } from 'zustand';
import type { ColumnTrace, Explanation, Via } from '../../shared/lineage';
import type { Pipeline } from '../../shared/pipeline/schema';

/** How a card is marked while a column's lineage is on show. */
export interface LineageMark {
  /** `origin`: the node of the column traced; otherwise how the nearest of its columns is reached. */
  via: Via | 'origin';
  /** The columns of this node the trace reached, and how. */
  columns: { column: string; via: Via }[];
}

export type Direction = 'upstream' | 'downstream';

/**
 * Column lineage on the canvas, and "explain this value": both belong to the document they
 * were made of, keyed by node id like run status and review marks (a card reads only its own
 * mark). Another document (an edit, an undo, another file) clears them (lineage-actions.ts).
 */
interface LineageState {
  /** The column traced: its node's id and name, the column, the direction. */
  target: { nodeId: string; node: string; column: string; direction: Direction } | null;
  loading: boolean;
  error: string | null;
  trace: ColumnTrace | null;
  marks: Readonly<Record<string, LineageMark>>;
  /** The document the marks (or the explanation) were made of. */
  of: Pipeline | null;
  explain: { loading: boolean; error: string | null; result: Explanation | null; nodeId: string; column: string; value: unknown } | null;
  set(patch: Partial<Omit<LineageState, 'set' | 'clear' | 'clearExplain'>>): void;
  clear(): void;
  clearExplain(): void;
}

export const useLineage = create<LineageState>()((set, get) => ({
  target: null,
  loading: false,
  error: null,
  trace: null,
  marks: {},
  of: null,
  explain: null,
  set(patch) {
    set(patch);
  },
  clear() {
    if (get().target || get().trace) set({ target: null, loading: false, error: null, trace: null, marks: {} });
  },
  clearExplain() {
    if (get().explain) set({ explain: null });
  },
}));
