import { useState, type JSX } from 'react';
import type { ReviewNode, ReviewReport } from '../../shared/review/schema';
import { useDoc } from '../document/doc-store';
import { cancelReview, startReview } from './review-actions';
import { useReview } from './review-store';
import { ReviewLegendItems } from './ReviewLegend';
import { ReviewNodeDetail } from './ReviewNodeDetail';

/**
 * The Changes tab's review: a Review button (progress and Cancel while it runs), then the
 * Impact: the verdict, newly failing checks as the headline, the pinned inputs, and the
 * impacted nodes, breaking first, each opening its schema, rows, checks, values and profile.
 * A click on a node also selects it on the canvas (`reveal`, handed in by the shell: the canvas
 * sits above this feature).
 */

const CHANGE_WORDS: Record<ReviewNode['change'], string> = { direct: 'changed', downstream: 'downstream', added: 'added', removed: 'removed' };

function progressText(p: ReturnType<typeof useReview.getState>['progress']): string {
  if (!p) return 'Reviewing…';
  return `Reviewing: ${p.phase}${p.node ? ` ${p.node}` : ''}${p.total ? ` (${p.done}/${p.total})` : ''}…`;
}

function Headline({ report }: { report: ReviewReport }): JSX.Element {
  const s = report.summary;
  const failing = report.nodes.flatMap((n) => n.checks.filter((c) => c.change === 'newly_failing'));
  const passing = report.nodes.flatMap((n) => n.checks.filter((c) => c.change === 'newly_passing'));
  const verdict = s.verdict === 'breaking' ? 'Breaking change' : s.verdict === 'non_breaking' ? 'Non-breaking change' : 'No impact on data';
  return (
    <div className="rv-headline" data-testid="review-summary" data-verdict={s.verdict}>
      {failing.length > 0 && (
        <p className="rv-failing" data-testid="review-newly-failing">
          {failing.length === 1 ? '1 check newly fails' : `${failing.length} checks newly fail`}: {failing.map((c) => `${c.rule} (${c.node}${c.head ? `, ${c.head.failingRows.toLocaleString('en-US')} failing rows` : ''})`).join('; ')}
        </p>
      )}
      <p>
        <b className={`rv-verdict ${s.verdict}`}>{verdict}</b>
        <span className="muted">
          {' '}
          · {s.breaking} breaking · {s.nonBreaking} non-breaking · {s.unchanged} unchanged{passing.length ? ` · ${passing.length} check${passing.length > 1 ? 's' : ''} newly pass${passing.length > 1 ? '' : 'es'}` : ''}
        </span>
      </p>
      <p className="muted small" data-testid="review-sides">
        {report.base.label} ({report.base.commit.slice(0, 7)}) → {report.head.label}
        {' · '}
        {report.inputs.mode === 'pinned' ? `inputs pinned to run ${report.inputs.baseRunId ?? '?'}` : `current inputs${report.inputs.fallbackReason ? `: ${report.inputs.fallbackReason}` : ''}`}
      </p>
    </div>
  );
}

function ImpactList({ report, reveal }: { report: ReviewReport; reveal?: (nodeId: string) => void }): JSX.Element {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(report.nodes.filter((n) => n.classification === 'breaking').slice(0, 1).map((n) => n.id)));
  const selection = useDoc((s) => s.selection);
  if (!report.nodes.length) return <p className="muted small">No node is impacted.</p>;
  // The report lists breaking nodes first already; kept so here whatever a report says (a stable sort).
  const nodes = [...report.nodes].sort((a, b) => Number(b.classification === 'breaking') - Number(a.classification === 'breaking'));
  return (
    <ul className="rv-nodes" data-testid="review-nodes">
      {nodes.map((n) => {
        const isOpen = open.has(n.id);
        const newlyFailing = n.checks.some((c) => c.change === 'newly_failing');
        return (
          <li key={n.id} className={`rv-node ${n.classification} ${n.change}${selection.includes(n.id) ? ' selected' : ''}`} data-testid="review-node" data-node-name={n.name} data-classification={n.classification}>
            <button
              type="button"
              className="rv-node-head"
              aria-expanded={isOpen}
              onClick={() => {
                const next = new Set(open);
                if (isOpen) next.delete(n.id);
                else next.add(n.id);
                setOpen(next);
                if (n.change !== 'removed' && useDoc.getState().byId.has(n.id)) {
                  useDoc.getState().setSelection([n.id]);
                  reveal?.(n.id);
                }
              }}
            >
              <span className="rv-caret" aria-hidden="true">
                {isOpen ? '▾' : '▸'}
              </span>
              <span className={`rv-swatch ${n.classification} ${n.change === 'downstream' ? 'downstream' : 'direct'}`}>{n.classification === 'breaking' ? 'breaking' : 'non-breaking'}</span>
              <b className="rv-node-name">{n.name}</b>
              <span className="muted small">
                {n.kind}, {CHANGE_WORDS[n.change]}
              </span>
              {newlyFailing && <span className="rv-flag">check newly fails</span>}
              {n.values && n.values.changed > 0 && <span className="muted small">{n.values.changed.toLocaleString('en-US')} rows changed</span>}
            </button>
            {isOpen && <ReviewNodeDetail node={n} />}
          </li>
        );
      })}
    </ul>
  );
}

export function ReviewSection({ reveal }: { reveal?: (nodeId: string) => void }): JSX.Element {
  const phase = useReview((s) => s.phase);
  const progress = useReview((s) => s.progress);
  const report = useReview((s) => s.report);
  const error = useReview((s) => s.error);
  const unsaved = useReview((s) => s.unsaved);
  const dirty = useDoc((s) => s.dirty);
  const allowCurrent = useReview((s) => s.allowCurrentInputs);
  const running = phase === 'running';
  // What the head is: said before the review (what it will compare) and after (what it compared).
  const headWords = (phase === 'idle' ? dirty : unsaved) ? 'your unsaved edits' : 'the saved file';
  return (
    <section className="rv" aria-label="Review" data-testid="review">
      <div className="rv-bar">
        {running ? (
          <>
            <span className="rv-progress" data-testid="review-progress" role="status">
              <span className="rv-spin" aria-hidden="true" />
              {progressText(progress)}
            </span>
            <button type="button" className="btn small" onClick={() => void cancelReview()} data-testid="review-cancel">
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="btn small primary" onClick={() => void startReview()} data-testid="review-start" title="Run both versions over the same inputs and compare their data">
            {report ? 'Review again' : 'Review'}
          </button>
        )}
        <span className="muted small">last commit → {headWords}</span>
        <label className="small rv-allow" title="Without this, a review needs a successful run of the last commit, and reviews both versions over exactly the inputs that run read">
          <input type="checkbox" checked={allowCurrent} disabled={running} onChange={(e) => useReview.getState().setAllowCurrentInputs(e.target.checked)} data-testid="review-allow-current" /> use current inputs if the base run's cannot be had
        </label>
        {(report || phase === 'failed' || phase === 'cancelled') && (
          <button type="button" className="btn small ghost" onClick={() => useReview.getState().dismiss()} data-testid="review-dismiss">
            Dismiss
          </button>
        )}
      </div>
      {phase === 'cancelled' && (
        <p className="muted small" data-testid="review-cancelled">
          Review cancelled.
        </p>
      )}
      {phase === 'failed' && error && (
        <p className="error small" data-testid="review-error">
          {error}
          {/current inputs/.test(error) && !allowCurrent && ' (in the designer: tick "use current inputs")'}
        </p>
      )}
      {report && phase === 'done' && (
        <>
          <Headline report={report} />
          <p className="rv-legend small" aria-label="Legend">
            <ReviewLegendItems />
          </p>
          <ImpactList key={report.generatedAt} report={report} reveal={reveal} />
        </>
      )}
    </section>
  );
}
