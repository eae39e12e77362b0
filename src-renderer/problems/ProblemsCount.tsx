import { useEffect, useRef, useState, type JSX } from 'react';
import { count } from '../../shared/format';
import { tally } from './collect';
import { ProblemsList } from './ProblemsList';
import { useProblems } from './use-problems';

/**
 * The problem count (problems/collect.ts: every problem, from settings to failed checks);
 * clicked, the list of problems above the status bar, each a link to its node and field. It
 * closes on Escape, a click elsewhere, or when the last problem goes.
 */
export function ProblemsCount(): JSX.Element {
  const problems = useProblems();
  const { errors, warnings } = tally(problems);
  const [open, setOpen] = useState(false);
  const [left, setLeft] = useState(0);
  const box = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('keydown', esc);
    };
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
    <span className="problems" ref={box}>
      <button
        type="button"
        className={`warn problems-count${errors ? ' has-errors' : ''}`}
        data-testid="problems-count"
        data-errors={errors}
        data-warnings={warnings}
        aria-expanded={open}
        aria-haspopup="dialog"
        title={`${detail}: show them`}
        onClick={(e) => {
          // The status bar clips what overflows it: the list is placed on the page, above the count.
          setLeft(e.currentTarget.getBoundingClientRect().left);
          setOpen(!open);
        }}
      >
        {count(problems.length, 'problem')}
      </button>
      {open && (
        <div className="problems-popover" role="dialog" aria-label="Problems" style={{ left: Math.max(8, left - 12) }}>
          <ProblemsList testId="problems-list" onPick={() => setOpen(false)} />
        </div>
      )}
    </span>
  );
}
