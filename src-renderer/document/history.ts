import type { Pipeline } from '../../shared/pipeline/schema';

/** Undo and redo as snapshots of the whole pipeline (they share untouched nodes, so they are small). */
export interface History {
  past: Pipeline[];
  future: Pipeline[];
  /** Typing in one field within a moment is one step, not one per key. */
  coalesce: { key: string; at: number } | null;
}

export const LIMIT = 200;
const COALESCE_MS = 1500;

export const emptyHistory = (): History => ({ past: [], future: [], coalesce: null });

/** Records `before` as the state to return to, unless this edit continues the last one. */
export function record(h: History, before: Pipeline, key?: string, now = Date.now()): History {
  if (key && h.coalesce && h.coalesce.key === key && now - h.coalesce.at < COALESCE_MS) {
    return { ...h, future: [], coalesce: { key, at: now } };
  }
  return { past: [...h.past, before].slice(-LIMIT), future: [], coalesce: key ? { key, at: now } : null };
}

export function undo(h: History, current: Pipeline): { history: History; pipeline: Pipeline } | null {
  const prev = h.past[h.past.length - 1];
  if (!prev) return null;
  return { history: { past: h.past.slice(0, -1), future: [current, ...h.future], coalesce: null }, pipeline: prev };
}

export function redo(h: History, current: Pipeline): { history: History; pipeline: Pipeline } | null {
  const next = h.future[0];
  if (!next) return null;
  return { history: { past: [...h.past, current].slice(-LIMIT), future: h.future.slice(1), coalesce: null }, pipeline: next };
}
