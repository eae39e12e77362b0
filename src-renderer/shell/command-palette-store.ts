import { create } from 'zustand';
import type { Position } from '../../shared/pipeline/schema';
import { canvasControl } from '../canvas/canvas-control';

/**
 * Whether the command palette is open, and where a node it adds goes: where the pointer was
 * over the canvas when it opened (null: the middle of the view).
 */
interface CommandPaletteState {
  open: boolean;
  addAt: Position | null;
  setOpen(open: boolean): void;
}

export const useCommandPalette = create<CommandPaletteState>()((set) => ({
  open: false,
  addAt: null,
  setOpen: (open) => set(open ? { open, addAt: canvasControl()?.pointer() ?? null } : { open }),
}));

export const openCommandPalette = (): void => useCommandPalette.getState().setOpen(true);
