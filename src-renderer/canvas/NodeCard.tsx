import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useState, type JSX } from 'react';
import { count, duration } from '../../shared/format';
import { nodeDetail, nodeKindSpec } from '../../shared/nodes/registry';
import { useCanvasView } from './canvas-view-store';
import { useDoc } from '../document/doc-store';
import { checkTally } from '../run/run-reducer';
import { useRun, type NodeRunState } from '../run/run-store';
import { CARD_WIDTH } from './auto-layout';
import { cardPorts } from './card-geometry';
import { fitTextInPage } from './fit-text';
import { CategoryIcon } from './kind-style';

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
 * canvas/canvas.css (name: 600 24px, body 220 − 2 − 16 − 12 px) and, once the node has run
 * state, further down canvas/canvas.css (name: 700 21px, body 220 − 2 − 14 − 10 px; the status
 * line: 600 17 px with tabular figures, after an 18 px icon and a 7 px gap).
 */
const COMPACT_TEXT = {
  name: { font: '600 24px', width: CARD_WIDTH - 2 - 16 - 12, tabular: false },
  ranName: { font: '700 21px', width: CARD_WIDTH - 2 - 14 - 10, tabular: false },
  // Done and failed cards write it in 600 with tabular figures; 2 px spare for rounding.
  ranStatus: { font: '600 17px', width: CARD_WIDTH - 2 - 14 - 10 - 18 - 7 - 2, tabular: true },
} as const;
/** A running card's live text (a ticking clock) stays as it is: it is short. */
const compactStatus = (text: JSX.Element | string, compact: boolean): JSX.Element | string =>
  compact && typeof text === 'string' ? compactText(text, 'ranStatus') : text;
let fontFamily: string | null = null;
function compactText(text: string, which: keyof typeof COMPACT_TEXT): string {
  fontFamily ??= getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'sans-serif';
  const { font, width, tabular } = COMPACT_TEXT[which];
  return fitTextInPage(text, width, `${font} ${fontFamily}`, tabular);
}

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
  // A boolean from the canvas's own store: cards re-render when the zoom crosses the
  // threshold, and no card subscribes to React Flow's per-frame viewport.
  const compact = useCanvasView((s) => s.compact);
  if (!node) return null;
  const spec = nodeKindSpec(node.kind);
  const category = spec?.category ?? 'transform';
  const ports = cardPorts(node.kind);
  const title = run && run.status !== 'done' && run.status !== 'running' ? (run.message ?? undefined) : undefined;
  return (
    <div
      className={`node-card cat-${category}${selected ? ' selected' : ''}${run ? ` run-${run.status}` : ''}${problems ? ' has-issues' : ''}${compact ? ' compact' : ''}`}
      data-testid="node-card"
      data-node-id={id}
      data-node-name={node.name}
    >
      {ports.input && <Handle type="target" position={Position.Left} className="port port-in" />}
      <div className="node-body">
        {!compact && (
          <div className="node-head">
            <CategoryIcon category={category} />
            <span className="node-kind">{spec?.label ?? node.kind}</span>
            {problems && (
              <span className="node-issue" title={problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n')} aria-label="has problems">
                !
              </span>
            )}
          </div>
        )}
        <div className="node-name" title={node.description ?? node.name}>
          {compact ? compactText(node.name, run ? 'ranName' : 'name') : node.name}
        </div>
        <div className={`node-status${run ? ` st-${run.status}` : ''}`} title={title} data-status={run?.status ?? ''}>
          {run ? (
            <>
              <span className="st-icon" aria-hidden="true">
                {STATUS_ICON[run.status] || <span className="dot" />}
              </span>
              <span className="node-status-text">{compactStatus(statusText(run), compact)}</span>
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
      {ports.output && <Handle type="source" position={Position.Right} className="port port-out" />}
    </div>
  );
}

export const NodeCard = memo(NodeCardImpl);
