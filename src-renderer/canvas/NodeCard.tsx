import { Handle, Position, useStore, type Node, type NodeProps } from '@xyflow/react';
import { memo, type JSX } from 'react';
import { nodeKindSpec } from '../../shared/nodes/registry';
import { useDoc } from '../state/doc-store';
import { useRun, type NodeRunState } from '../state/run-store';
import { CategoryIcon } from './kind-style';

export type FlowNode = Node<{ id: string }, 'weir'>;

const fmt = new Intl.NumberFormat();

/** Below this zoom a card shows its name large and little else, so a whole pipeline still reads. */
const COMPACT_BELOW = 0.6;
const isCompact = (s: { transform: [number, number, number] }) => s.transform[2] < COMPACT_BELOW;
const seconds = (ms: number | null) => (ms === null ? '' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

function statusText(run: NodeRunState | undefined): string {
  if (!run) return '';
  switch (run.status) {
    case 'queued':
      return 'Queued';
    case 'running':
      return run.rows !== null ? `Running · ${fmt.format(run.rows)} rows` : 'Running…';
    case 'done':
      return [run.rows !== null ? `${fmt.format(run.rows)} rows` : 'Done', run.cached ? 'cached' : seconds(run.durationMs)].filter(Boolean).join(' · ');
    case 'failed':
      return 'Failed';
    case 'skipped':
      return 'Skipped';
    case 'cancelled':
      return 'Cancelled';
  }
}

/** A short line saying what the node works on: its path, table, or first line of SQL. */
function detail(config: Record<string, unknown>): string | null {
  for (const key of ['path', 'table', 'url']) if (typeof config[key] === 'string' && config[key]) return String(config[key]);
  if (typeof config.connection === 'string' && typeof config.prefix === 'string') return `${config.connection}: ${config.prefix}${typeof config.glob === 'string' ? config.glob : ''}`;
  if (Array.isArray(config.sql)) return (config.sql as unknown[]).map(String).find((l) => l.trim() && !l.trim().startsWith('--'))?.trim() ?? null;
  if (Array.isArray(config.rules)) return `${config.rules.length} rule${config.rules.length === 1 ? '' : 's'}`;
  if (Array.isArray(config.rows)) return `${config.rows.length} row${config.rows.length === 1 ? '' : 's'}`;
  return null;
}

/**
 * A node on the canvas: kind, name, status. It reads its own node and run state by id, so
 * a drag or a progress tick re-renders only the card that changed.
 */
function NodeCardImpl({ id, selected }: NodeProps<FlowNode>): JSX.Element | null {
  const node = useDoc((s) => s.byId.get(id));
  const problems = useDoc((s) => s.nodeIssues.get(id));
  const run = useRun((s) => s.nodes[id]);
  // A boolean: cards re-render when the zoom crosses the threshold, not on every zoom step.
  const compact = useStore(isCompact);
  if (!node) return null;
  const spec = nodeKindSpec(node.kind);
  const category = spec?.category ?? 'transform';
  const status = statusText(run);
  const title = run?.status === 'failed' || run?.status === 'skipped' ? (run.message ?? undefined) : undefined;
  return (
    <div
      className={`node-card cat-${category}${selected ? ' selected' : ''}${run ? ` run-${run.status}` : ''}${problems ? ' has-issues' : ''}${compact ? ' compact' : ''}`}
      data-testid="node-card"
      data-node-id={id}
      data-node-name={node.name}
    >
      {(spec?.inputs.max ?? 1) > 0 && <Handle type="target" position={Position.Left} className="port port-in" />}
      <div className="node-head">
        <CategoryIcon category={category} />
        <span className="node-kind">{spec?.label ?? node.kind}</span>
        {problems && (
          <span className="node-issue" title={problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n')} aria-label="has problems">
            !
          </span>
        )}
      </div>
      <div className="node-name" title={node.description ?? node.name}>
        {node.name}
      </div>
      <div className={`node-status${run ? ` st-${run.status}` : ''}`} title={title}>
        {run && <span className="dot" aria-hidden="true" />}
        <span className="node-status-text">{status || detail(node.config) || spec?.label}</span>
      </div>
      {category !== 'sink' && <Handle type="source" position={Position.Right} className="port port-out" />}
    </div>
  );
}

export const NodeCard = memo(NodeCardImpl);
