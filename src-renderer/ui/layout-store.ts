import { create } from 'zustand';
import { readStored, writeStored } from './stored';

/** The two side panels of the frame; the bottom panel is `panel-store`'s. */
export type Side = 'sidebar' | 'inspector';

export interface SideState {
  /** Width in CSS pixels when shown. */
  size: number;
  collapsed: boolean;
}

/** Widths a side panel may take (px); a drag below `min` collapses it. */
export const SIDE_LIMITS: Record<Side, { min: number; max: number; initial: number }> = {
  sidebar: { min: 170, max: 420, initial: 224 },
  inspector: { min: 260, max: 640, initial: 330 },
};

const KEY = 'weir.layout';

function clamp(side: Side, size: unknown): number {
  const { min, max, initial } = SIDE_LIMITS[side];
  return typeof size === 'number' && Number.isFinite(size) ? Math.round(Math.min(max, Math.max(min, size))) : initial;
}

function initial(): Record<Side, SideState> {
  let saved: Partial<Record<Side, { size?: unknown; collapsed?: unknown }>> = {};
  try {
    saved = (JSON.parse(readStored(KEY) ?? '{}') ?? {}) as typeof saved;
  } catch {
    saved = {};
  }
  const one = (side: Side): SideState => ({ size: clamp(side, saved[side]?.size), collapsed: saved[side]?.collapsed === true });
  return { sidebar: one('sidebar'), inspector: one('inspector') };
}

interface LayoutState {
  sides: Record<Side, SideState>;
  toggle(side: Side): void;
  /** What the user left after dragging a separator (or pressing its keys). */
  set(side: Side, state: Partial<SideState>): void;
}

/**
 * The frame's side panels: shown or collapsed, and how wide. Remembered in localStorage (per
 * browser profile, like the theme), so a reload or the next start shows the same frame.
 */
export const useLayout = create<LayoutState>()((set, get) => {
  const update = (side: Side, patch: Partial<SideState>) => {
    const before = get().sides[side];
    const next = { size: patch.size === undefined ? before.size : clamp(side, patch.size), collapsed: patch.collapsed ?? before.collapsed };
    if (next.size === before.size && next.collapsed === before.collapsed) return;
    set({ sides: { ...get().sides, [side]: next } });
    writeStored(KEY, JSON.stringify(get().sides));
  };
  return {
    sides: initial(),
    toggle: (side) => update(side, { collapsed: !get().sides[side].collapsed }),
    set: update,
  };
});
