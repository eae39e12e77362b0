import type { JSX } from 'react';
import { useUi } from '../ui/ui-store';
import './toasts.css';

export function Toasts(): JSX.Element {
  const toasts = useUi((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'} data-testid={`toast-${t.kind}`}>
          <span>{t.message}</span>
          <button type="button" className="icon-btn" onClick={() => useUi.getState().dismiss(t.id)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
