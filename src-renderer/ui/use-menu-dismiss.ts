import { useEffect, useRef, type RefObject } from 'react';

/**
 * A context menu's focus and dismissal: its first item takes the focus when it opens; Escape
 * (before any other key handler) or a pointer press outside it closes it. The menu stops its own
 * pointerdown from reaching the window, so clicks on its items do not close it first.
 */
export function useMenuDismiss(onClose: () => void): RefObject<HTMLButtonElement | null> {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    first.current?.focus();
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent && e.key !== 'Escape') return;
      onClose();
    };
    window.addEventListener('keydown', close, true);
    window.addEventListener('pointerdown', close);
    return () => {
      window.removeEventListener('keydown', close, true);
      window.removeEventListener('pointerdown', close);
    };
  }, [onClose]);
  return first;
}
