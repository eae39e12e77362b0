import { useRef, type JSX, type ReactNode } from 'react';
import { useDialogFocus } from '../ui/use-dialog-focus';
import { useUi } from '../ui/ui-store';
import './dialogs.css';

export function Modal({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  useDialogFocus(ref, () => useUi.getState().openDialog(null));
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && useUi.getState().openDialog(null)}>
      <div className={`modal${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} ref={ref}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}
