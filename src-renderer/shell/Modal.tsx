import { useEffect, useRef, type JSX, type ReactNode } from 'react';
import { useUi } from '../ui/ui-store';
import './dialogs.css';

export function Modal({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current?.querySelector<HTMLElement>('input, select, textarea, button.primary');
    // Without scrolling: a long dialog (the shortcuts) focused its Close button at the bottom and
    // opened scrolled past its title and first lines at 1024x700.
    el?.focus({ preventScroll: true });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') useUi.getState().openDialog(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && useUi.getState().openDialog(null)}>
      <div className={`modal${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} ref={ref}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}
