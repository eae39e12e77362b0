import { create } from 'zustand';

export type PanelTab = 'preview' | 'checks' | 'log' | 'history' | 'params' | 'connections' | 'changes';

const HEIGHT_KEY = 'weir.panelHeight';
export const PANEL_MIN = 140;

function initialHeight(): number {
  try {
    const h = Number(localStorage.getItem(HEIGHT_KEY));
    if (Number.isFinite(h) && h >= PANEL_MIN) return h;
  } catch {
    // the default, then
  }
  return 280;
}

/** The panel under the canvas: open or not, which tab, how tall (dragged by its top edge). */
interface PanelState {
  open: boolean;
  tab: PanelTab;
  height: number;
  show(tab: PanelTab): void;
  toggle(tab: PanelTab): void;
  close(): void;
  setHeight(h: number): void;
}

export const usePanel = create<PanelState>()((set, get) => ({
  open: false,
  tab: 'preview',
  height: initialHeight(),
  show(tab) {
    set({ open: true, tab });
  },
  toggle(tab) {
    const s = get();
    if (s.open && s.tab === tab) set({ open: false });
    else set({ open: true, tab });
  },
  close() {
    set({ open: false });
  },
  setHeight(h) {
    const height = Math.round(Math.max(PANEL_MIN, h));
    set({ height });
    try {
      localStorage.setItem(HEIGHT_KEY, String(height));
    } catch {
      // not remembered
    }
  },
}));
