import type { Node, NodeProps } from '@xyflow/react';
import { memo, useCallback, useEffect, useState, type JSX } from 'react';
import { flushSync } from 'react-dom';
import { count, duration } from '../../shared/format';
import { nodeDetail, nodeKindSpec } from '../../shared/nodes/registry';
import { nodeFieldLabel, withoutNodePrefix } from '../../shared/pipeline/issue-place';
import type { PipelineNode } from '../../shared/pipeline/schema';
import type { ValidationIssue } from '../../shared/errors';
import { COMPACT_NAME_PX, useCanvasView } from './canvas-view-store';
import { useDoc } from '../document/doc-store';
import { checkTally } from '../run/run-reducer';
import { useRun, type NodeRunState } from '../run/run-store';
import { useReview } from '../git/review-store';
import { useLineage } from '../lineage/lineage-store';
import { CARD_WIDTH } from './auto-layout';
import { cardPorts } from './card-geometry';
import { fitTextInPage, fitTwoLinesInPage } from './fit-text';
import { CategoryIcon } from './kind-style';
import { CardPort } from './CardPort';

/** A card for React Flow; its data carries the kind, for what draws by kind outside the cards (edges, overview map). */
export type FlowNode = Node<{ id: string; kind: string }, 'weir'>;

const seconds = (ms: number | null) => (ms === null ? '' : duration(ms));
const rowsText = (n: number) => count(n, 'row');

/** Seconds since a node started, ticking once a second: only running cards mount it. */
function Elapsed({ since }: { since: number }): JSX.Element {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const s = Math.max(0, Math.floor((now - since) / 1000));
  return <>{s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`}</>;
}

function statusText(run: NodeRunState): JSX.Element | string {
  switch (run.status) {
    case 'queued':
      return 'Queued';
    case 'running':
      return (
        <>
          Running{run.rows !== null ? ` · ${rowsText(run.rows)}` : '…'}
          {run.startedAt !== null && (
            <>
              {' · '}
              <Elapsed since={run.startedAt} />
            </>
          )}
        </>
      );
    case 'done':
      return [run.rows !== null ? rowsText(run.rows) : 'Done', run.cached ? 'cached' : seconds(run.durationMs)].filter(Boolean).join(' · ');
    case 'failed':
      return `Failed${run.durationMs !== null ? ` · ${seconds(run.durationMs)}` : ''}`;
    case 'skipped':
      return 'Skipped';
    case 'cancelled':
      return 'Cancelled';
  }
}

const STATUS_ICON: Record<NodeRunState['status'], string> = { queued: '○', running: '', done: '✓', failed: '✕', skipped: '–', cancelled: '■' };

/** A check node's rule results after a run: all passed, some warned, or some failed. */
function CheckBadge({ run }: { run: NodeRunState }): JSX.Element | null {
  const t = checkTally(run.checks);
  if (!t || !t.total) return null;
  const text = t.failed ? `${t.failed} failed` : t.warned ? `${t.warned} warned` : `${t.passed}/${t.total} passed`;
  return (
    <span className={`check-badge ${t.state}`} data-testid="check-badge" data-failed={t.failed} title={run.checks!.map((c) => `${c.passed ? '✓' : '✕'} ${c.rule}${c.passed ? '' : `: ${count(c.failingRows, 'failing row')}`}`).join('\n')}>
      {text}
    </span>
  );
}

/**
 * The texts of a compact card, shortened to fit by measuring them in their font (see
 * fit-text.ts for why not by CSS). Keep these in step with `.node-card.compact` in
 * canvas/canvas.css: the name in 600 at COMPACT_NAME_PX, on up to two lines (one once the node
 * has run state), across 220 − 2 (border) − 12 − 8 (padding) px, and 2 px spare for rounding;
 * the run's outcome in 600 20 px with tabular figures, after an 18 px icon and a 6 px gap.
 */
const NAME_WIDTH = CARD_WIDTH - 2 - 12 - 8 - 2;
const COMPACT_TEXT = {
  name: { font: `600 ${COMPACT_NAME_PX}px`, width: NAME_WIDTH, tabular: false },
  ranStatus: { font: '600 20px', width: NAME_WIDTH - 18 - 6, tabular: true },
} as const;
/** A running card's live text (a ticking clock) stays as it is: it is short. */
const compactStatus = (text: JSX.Element | string, compact: boolean): JSX.Element | string =>
  compact && typeof text === 'string' ? compactText(text, 'ranStatus') : text;
let fontFamily: string | null = null;
const pageFont = () => (fontFamily ??= getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'sans-serif');
/**
 * A compact card's name is set in a narrow face where the system has one (as
 * `.node-card.compact .node-name` in canvas.css): about 13 characters a line instead of 9 in
 * DejaVu Sans, so most names read whole at the zoom a fitted view takes.
 */
const NARROW = "'Liberation Sans Narrow', 'Arial Narrow', 'DejaVu Sans Condensed'";
const nameFont = () => `${NARROW}, ${pageFont()}`;
function compactText(text: string, which: keyof typeof COMPACT_TEXT): string {
  const { font, width, tabular } = COMPACT_TEXT[which];
  return fitTextInPage(text, width, `${font} ${which === 'name' ? nameFont() : pageFont()}`, tabular);
}
/**
 * A compact card's name: on up to two lines before a run; after one, on one line above the
 * outcome (rows, a check's tally), shortened with "…" when it must be (the tooltip is whole).
 */
function compactName(name: string, ran: boolean): string[] {
  return ran ? [compactText(name, 'name')] : fitTwoLinesInPage(name, COMPACT_TEXT.name.width, `${COMPACT_TEXT.name.font} ${nameFont()}`);
}

function NameLines({ lines }: { lines: string[] }): JSX.Element {
  return lines.length === 1 ? (
    <>{lines[0]}</>
  ) : (
    <>
      {lines[0]}
      <br />
      {lines[1]}
    </>
  );
}

/** Zoomed out, the outcome is short: rows (no time), and a check's tally after them. */
function compactOutcome(run: NodeRunState): string | null {
  if (run.status !== 'done') return null;
  const t = checkTally(run.checks);
  const tally = t && t.total ? (t.failed ? `${t.failed} failed` : t.warned ? `${t.warned} warned` : `${t.passed}/${t.total} passed`) : null;
  const rows = run.rows !== null ? rowsText(run.rows) : run.cached ? 'cached' : 'Done';
  return tally ? `${rows} · ${tally}` : rows;
}

/** The card's problems in words, as the problems list says them: `Aggregates #1 › Column: expected …`. */
function problemsTitle(node: PipelineNode, problems: readonly ValidationIssue[]): string {
  return problems
    .map((p) => {
      const label = nodeFieldLabel(node, p.path);
      const message = withoutNodePrefix(p.message, node);
      return label ? `${label}: ${message}` : message;
    })
    .join('\n');
}

/** The name, and the description when there is one: the tooltip of a name that may be shortened. */
const fullName = (name: string, description: string | undefined) => (description ? `${name}\n${description}` : name);

/**
 * A node on the canvas: kind, name, status. It reads its own node and run state by id, so
 * a drag or a progress tick re-renders only the card that changed. Zoomed far out
 * (`compact`) it shows the name large, and the run outcome when there is one; what it
 * would not show there (kind, detail line, message) is left out of the page rather than
 * hidden, so a 1000-node overview stays light. Its layout (ports in the flex row, no
 * positioned children) is what card-geometry.ts describes to React Flow.
 */
function NodeCardImpl({ id, selected }: NodeProps<FlowNode>): JSX.Element | null {
  const node = useDoc((s) => s.byId.get(id));
  const problems = useDoc((s) => s.nodeIssues.get(id));
  const run = useRun((s) => s.nodes[id]);
  const review = useReview((s) => s.marks[id]);
  const lineage = useLineage((s) => s.marks[id]);
  // A boolean from the canvas's own store: cards re-render when the zoom crosses the
  // threshold, and no card subscribes to React Flow's per-frame viewport.
  const compact = useCanvasView((s) => s.compact);
  // Ports are React Flow handles only while the pointer is over the card (see CardPort).
  const [hovered, setHovered] = useState(false);
  const wake = useCallback(() => flushSync(() => setHovered(true)), []);
  if (!node) return null;
  const livePorts = hovered || !!selected;
  const spec = nodeKindSpec(node.kind);
  const category = spec?.category ?? 'transform';
  const ports = cardPorts(node.kind);
  const tally = run?.status === 'done' ? checkTally(run.checks) : null;
  const shown = compact ? compactName(node.name, !!run) : null;
  const title = run && run.status !== 'done' && run.status !== 'running' ? (run.message ?? undefined) : undefined;
  return (
    <div
      className={`node-card cat-${category}${selected ? ' selected' : ''}${run ? ` run-${run.status}` : ''}${problems ? ' has-issues' : ''}${compact ? ' compact' : ''}${review ? ` review-${review.classification} review-${review.change === 'downstream' ? 'downstream' : 'direct'}` : ''}${lineage ? ` lineage-${lineage.via}` : ''}`}
      data-testid="node-card"
      data-lineage={lineage?.via ?? ''}
      data-review={review?.classification ?? ''}
      data-node-id={id}
      data-node-name={node.name}
      onPointerEnter={() => setHovered(true)}
      // A press that started on a port may be a connection being drawn out of the card: its handle stays.
      onPointerLeave={(e) => e.buttons === 0 && setHovered(false)}
    >
      {ports.input && <CardPort type="target" live={livePorts} nodeId={id} wake={wake} />}
      <div className="node-body">
        {!compact && (
          <div className="node-head">
            <CategoryIcon category={category} />
            <span className="node-kind">{spec?.label ?? node.kind}</span>
            {review && (
              <span className={`node-review ${review.classification}`} data-testid="node-review-mark" title={`Review: ${review.classification === 'breaking' ? 'breaking' : 'non-breaking'}, ${review.change === 'downstream' ? 'impacted from upstream' : 'changed here'}`}>
                {review.classification === 'breaking' ? 'breaking' : 'changed'}
              </span>
            )}
            {lineage && (
              <span className={`node-lineage ${lineage.via}`} data-testid="node-lineage-mark" title={lineage.columns.map((c) => `${c.column} (${c.via})`).join(', ')}>
                {lineage.via === 'origin' ? 'traced' : lineage.via}
              </span>
            )}
            {problems && (
              <span className="node-issue" title={problemsTitle(node, problems)} role="img" aria-label="has problems">
                !
              </span>
            )}
          </div>
        )}
        <div className="node-name" title={fullName(node.name, node.description)}>
          {shown ? <NameLines lines={shown} /> : node.name}
        </div>
        <div className={`node-status${run ? ` st-${run.status}` : ''}${compact && tally?.total ? ` check-${tally.state}` : ''}`} title={title} data-status={run?.status ?? ''}>
          {run ? (
            <>
              <span className="st-icon" aria-hidden="true">
                {STATUS_ICON[run.status] || <span className="dot" />}
              </span>
              <span className="node-status-text">{compactStatus((compact && compactOutcome(run)) || statusText(run), compact)}</span>
              {!compact && <CheckBadge run={run} />}
            </>
          ) : (
            !compact && <span className="node-status-text">{nodeDetail(node.kind, node.config) || spec?.label}</span>
          )}
        </div>
        {run && (run.status === 'failed' || run.status === 'skipped') && run.message && !compact && (
          <div className={`node-msg msg-${run.status}`} title={run.message} data-testid="node-message">
            {run.status === 'failed' && run.line ? `line ${run.line}: ` : ''}
            {run.message}
          </div>
        )}
      </div>
      {ports.output && <CardPort type="source" live={livePorts} nodeId={id} wake={wake} />}
    </div>
  );
}

export const NodeCard = memo(NodeCardImpl);
