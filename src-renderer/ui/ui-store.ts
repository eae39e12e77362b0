import { create } from 'zustand';
import type { DraftInfo } from '../../shared/api/schemas';

export type Theme = 'light' | 'dark';
export type Dialog = 'openWorkspace' | 'newPipeline' | 'saveAs' | 'shortcuts' | null;

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  message: string;
}

const THEME_KEY = 'weir.theme';

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // storage may be unavailable; fall back to the system preference
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

interface UiState {
  theme: Theme;
  dialog: Dialog;
  toasts: Toast[];
  /** A draft found when the pipeline was opened: unsaved work from a crash. */
  recovery: DraftInfo | null;
  busy: string | null;
  setTheme(t: Theme): void;
  toggleTheme(): void;
  openDialog(d: Dialog): void;
  notify(kind: Toast['kind'], message: string): void;
  dismiss(id: number): void;
  setRecovery(d: DraftInfo | null): void;
  setBusy(what: string | null): void;
}

let nextToast = 1;

export const useUi = create<UiState>()((set, get) => ({
  theme: initialTheme(),
  dialog: null,
  toasts: [],
  recovery: null,
  busy: null,
  setTheme(theme) {
    try {
      localStorage.setItem(THEME_KEY, theme);
    } catch {
      // not remembered; fine
    }
    set({ theme });
  },
  toggleTheme() {
    get().setTheme(get().theme === 'dark' ? 'light' : 'dark');
  },
  openDialog(dialog) {
    set({ dialog });
  },
  notify(kind, message) {
    const id = nextToast++;
    set({ toasts: [...get().toasts.slice(-2), { id, kind, message }] });
    // Confirmations pass quickly; errors stay long enough to read.
    setTimeout(() => get().dismiss(id), kind === 'error' ? 9000 : kind === 'success' ? 2500 : 5000);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
  setRecovery(recovery) {
    set({ recovery });
  },
  setBusy(busy) {
    set({ busy });
  },
}));
