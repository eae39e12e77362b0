import type { JSX } from 'react';
import { revealProblem } from './focus-problem';
import type { Problem } from './problem';
import { useProblems } from './use-problems';
import './problems.css';

const SOURCE: Record<Problem['source'], string> = {
  validation: 'settings',
  engine: 'refused by the engine',
  columns: 'missing column',
  preview: 'preview failed',
  sql: 'SQL error',
  run: 'run failed',
  check: 'check failed',
};

/** Where a problem is: its node's name, else the pipeline's field. */
const where = (p: Problem) => p.nodeName ?? (p.field || 'pipeline');

/**
 * What a screen reader says for a problem: where and what, as the line shows them (a name
 * holding the visible words in order is what speech input users say to click it, WCAG 2.5.3),
 * then the field and what kind.
 */
const spoken = (p: Problem) => {
  const about = [p.fieldLabel, p.line ? `line ${p.line}` : '', SOURCE[p.source], p.severity === 'warning' ? 'warning' : ''].filter(Boolean).join(', ');
  return `${where(p)}: ${p.message} (${about})`;
};

/**
 * Every problem of the open pipeline (problems/collect.ts: settings, the engine's refusals,
 * missing columns, the last preview's and run's failures, failed checks), one per line: the
 * node's name, the field, what is wrong. A click selects the node, brings its card into view
 * and puts the caret in the field. The field's label is drawn by CSS from `data-label`, so
 * that a line's text stays "node message" for whoever reads it as text.
 */
export function ProblemsList({ testId, onPick }: { testId: string; onPick?: () => void }): JSX.Element {
  const problems = useProblems();
  return (
    <ul className="issues" data-testid={testId}>
      {problems.map((p) => (
        <li key={p.key} className={`problem problem-${p.severity}`} data-node-id={p.nodeId ?? undefined} data-source={p.source} data-problem-field={p.field || undefined} title={SOURCE[p.source]}>
          <button
            type="button"
            className="issue-link"
            aria-label={spoken(p)}
            onClick={() => {
              revealProblem(p);
              onPick?.();
            }}
          >
            <code className="issue-where">{where(p)}</code>{' '}
            {(p.fieldLabel || p.line) && <span className="issue-field" aria-hidden="true" data-label={`${p.fieldLabel ?? 'SQL'}${p.line ? ` · line ${p.line}` : ''}`} />}
            <span className="issue-message">{p.message}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
