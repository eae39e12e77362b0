import { create } from 'zustand';
import { readStored, writeStored } from './stored';

export type PanelTab = 'preview' | 'checks' | 'log' | 'history' | 'lots' | 'params' | 'connections' | 'changes';

const TABS: readonly PanelTab[] = ['preview', 'checks', 'log', 'history', 'lots', 'params', 'connections', 'changes'];
const HEIGHT_KEY = 'weir.panelHeight';
const STATE_KEY = 'weir.panel';
export const PANEL_MIN = 140;

function initialHeight(): number {
  const h = Number(readStored(HEIGHT_KEY));
  return Number.isFinite(h) && h >= PANEL_MIN ? h : 280;
}

/** Open or not, and on which tab, as the user left it (a reload shows the same panel). */
function initialState(): { open: boolean; tab: PanelTab } {
  try {
    const saved = JSON.parse(readStored(STATE_KEY) ?? '{}') as { open?: unknown; tab?: unknown };
    const tab = TABS.find((t) => t === saved.tab) ?? 'preview';
    return { open: saved.open === true, tab };
  } catch {
    return { open: false, tab: 'preview' };
  }
}

/** The panel under the canvas: open or not, which tab, how tall when open. */
interface PanelState {
  open: boolean;
  tab: PanelTab;
  height: number;
  show(tab: PanelTab): void;
  toggle(tab: PanelTab): void;
  /** Opens the panel on its last tab, or closes it (the layout toggle and its key). */
  toggleOpen(): void;
  setOpen(open: boolean): void;
  close(): void;
  setHeight(h: number): void;
}

export const usePanel = create<PanelState>()((set, get) => {
  const update = (patch: Partial<Pick<PanelState, 'open' | 'tab'>>) => {
    set(patch);
    const { open, tab } = get();
    writeStored(STATE_KEY, JSON.stringify({ open, tab }));
  };
  return {
    ...initialState(),
    height: initialHeight(),
    show(tab) {
      update({ open: true, tab });
    },
    toggle(tab) {
      const s = get();
      if (s.open && s.tab === tab) update({ open: false });
      else update({ open: true, tab });
    },
    toggleOpen() {
      update({ open: !get().open });
    },
    setOpen(open) {
      if (open !== get().open) update({ open });
    },
    close() {
      update({ open: false });
    },
    setHeight(h) {
      const height = Math.round(Math.max(PANEL_MIN, h));
      set({ height });
      writeStored(HEIGHT_KEY, String(height));
    },
  };
});
