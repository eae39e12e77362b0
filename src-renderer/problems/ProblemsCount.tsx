import { useEffect, useId, useLayoutEffect, useRef, useState, type JSX } from 'react';
import { count } from '../../shared/format';
import { placeAbove, type Placement } from '../ui/popover-place';
import { tally } from './collect';
import { ProblemsList } from './ProblemsList';
import { useProblems } from './use-problems';

/** What a popover above the status bar keeps clear of while it has room: the bottom panel marks itself. */
const KEEP_CLEAR = '[data-keep-clear]';

const box = (el: Element) => {
  const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
};

/**
 * The problem count (problems/collect.ts: every problem, from settings to failed checks);
 * clicked, the list of problems above the status bar, each a link to its node and field. The
 * list fits the window and stays clear of the bottom panel (the run log or checks a problem is
 * about) while there is room above it (ui/popover-place.ts). It takes the focus when it opens;
 * Escape closes it and gives the focus back to the count, as does a click outside it that would
 * leave the focus nowhere; it closes too when the focus leaves it, or when the last problem goes.
 */
export function ProblemsCount(): JSX.Element {
  const problems = useProblems();
  const { errors, warnings } = tally(problems);
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<Placement | null>(null);
  const wrap = useRef<HTMLSpanElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const pop = useRef<HTMLDivElement>(null);
  const id = useId();

  // Placed before it paints, and again when the window or the bottom panel changes size.
  useLayoutEffect(() => {
    if (!open) return;
    const clear = document.querySelector(KEEP_CLEAR);
    const measure = () => opener.current && setPlace(placeAbove(box(opener.current), clear ? box(clear) : null, { width: window.innerWidth, height: window.innerHeight }));
    measure();
    const watch = new ResizeObserver(measure);
    if (clear) watch.observe(clear);
    window.addEventListener('resize', measure);
    return () => {
      watch.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [open]);

  // The keyboard goes into the list as it opens: Tab and Enter reach the problems at once.
  useEffect(() => {
    if (open) pop.current?.querySelector<HTMLElement>('button')?.focus({ preventScroll: true });
  }, [open]);

  // The last problem fixed closes the list for good: it does not pop up again with the next one.
  const none = problems.length === 0;
  useEffect(() => {
    if (none) setOpen(false);
  }, [none]);

  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (wrap.current?.contains(e.target as Node)) return;
      const focusWasIn = !!pop.current?.contains(document.activeElement);
      setOpen(false);
      // After the click has moved the focus where it goes: nowhere (the canvas's background), it goes back to the count.
      setTimeout(() => {
        if (focusWasIn && (!document.activeElement || document.activeElement === document.body)) opener.current?.focus({ preventScroll: true });
      });
    };
    // Captured: the canvas's background (d3-zoom) stops the pointer's events from bubbling up.
    document.addEventListener('pointerdown', away, true);
    return () => document.removeEventListener('pointerdown', away, true);
  }, [open]);

  if (!problems.length) {
    return (
      <span className="ok" data-testid="problems-count">
        No problems
      </span>
    );
  }
  const detail = errors && warnings ? `${count(errors, 'error')}, ${count(warnings, 'warning')}` : errors ? count(errors, 'error') : count(warnings, 'warning');
  return (
    <span
      className="problems"
      ref={wrap}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !open) return;
        // Handled here: the canvas's Escape (clear the selection) is not what the user meant.
        e.stopPropagation();
        setOpen(false);
        opener.current?.focus({ preventScroll: true });
      }}
      onBlur={(e) => {
        // Tabbed out of the list: it closes. (A click elsewhere is the pointerdown above.)
        if (open && e.relatedTarget && !wrap.current?.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <button
        type="button"
        ref={opener}
        className={`warn problems-count${errors ? ' has-errors' : ''}`}
        data-testid="problems-count"
        data-errors={errors}
        data-warnings={warnings}
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-controls={open ? id : undefined}
        title={`${detail}: show them`}
        onClick={() => setOpen(!open)}
      >
        {count(problems.length, 'problem')}
      </button>
      {open && (
        <div
          id={id}
          ref={pop}
          className="problems-popover"
          role="dialog"
          aria-label="Problems"
          // The status bar clips what overflows it: the list is placed on the page (position: fixed).
          style={place ? { left: place.left, bottom: place.bottom, maxWidth: place.maxWidth, maxHeight: place.maxHeight } : { visibility: 'hidden' }}
        >
          <ProblemsList testId="problems-list" onPick={() => setOpen(false)} />
        </div>
      )}
    </span>
  );
}
