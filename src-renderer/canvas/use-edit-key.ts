import { useEffect, type RefObject } from 'react';

/**
 * Enter on a focused note or frame (React Flow's node wrapper holds the focus, not the
 * component inside it) starts editing its text or title, as a double-click does.
 */
export function useEditKey(inside: RefObject<HTMLElement | null>, start: () => void): void {
  useEffect(() => {
    const wrapper = inside.current?.closest<HTMLElement>('.react-flow__node');
    if (!wrapper) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && e.target === wrapper) {
        e.preventDefault();
        start();
      }
    };
    wrapper.addEventListener('keydown', onKey);
    return () => wrapper.removeEventListener('keydown', onKey);
  }, [inside, start]);
}
