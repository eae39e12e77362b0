import { nodeKindSpec } from '../../shared/nodes/registry';
import { selectNodes, upstreamOfAll } from '../../shared/pipeline/graph';
import type { PipelineNode } from '../../shared/pipeline/schema';

/** Run from here (the node and what reads it), run to here (what it reads and it), run this node. */
export type RunScope = 'from' | 'to' | 'node';

/** The engine's selection for a scope, as `weir run --select` takes it (dbt's grammar). */
export function scopeSelection(name: string, scope: RunScope): string {
  return scope === 'from' ? `${name}+` : scope === 'to' ? `+${name}` : name;
}

export interface ScopedRun {
  scope: RunScope;
  select: string;
  /** The nodes chosen, in the document's order. */
  selected: string[];
  /** Upstream nodes the chosen ones read: made again or taken from the cache, never published. */
  needed: string[];
  /** The chosen sinks, by name: the only ones that publish. */
  publishes: string[];
}

/**
 * What a scoped run of a node runs and publishes, worked out as the engine's plan does
 * (shared/pipeline/graph.ts: the selection, plus the upstream it needs). Null when the node
 * is not in the document or its name is not one the selection can name.
 */
export function scopedRun(nodes: readonly PipelineNode[], nodeId: string, scope: RunScope): ScopedRun | null {
  const node = nodes.find((n) => n.id === nodeId);
  if (!node) return null;
  const select = scopeSelection(node.name, scope);
  let chosen: Set<string>;
  try {
    chosen = selectNodes(nodes, select);
  } catch {
    return null;
  }
  const upstream = upstreamOfAll(nodes, chosen);
  const selected = nodes.filter((n) => chosen.has(n.id));
  return {
    scope,
    select,
    selected: selected.map((n) => n.id),
    needed: nodes.filter((n) => upstream.has(n.id) && !chosen.has(n.id)).map((n) => n.id),
    publishes: selected.filter((n) => nodeKindSpec(n.kind)?.category === 'sink').map((n) => n.name),
  };
}

const VERB: Record<RunScope, string> = { from: 'Run from here', to: 'Run to here', node: 'Run this node' };

/** The menu's words: what the run is, and whether it publishes (and how many outputs). */
export function scopeLabel(run: Pick<ScopedRun, 'scope' | 'publishes'>): string {
  const n = run.publishes.length;
  return `${VERB[run.scope]} (${n ? `publishes ${n} output${n > 1 ? 's' : ''}` : 'no publish'})`;
}

/** A tooltip: the selection, how many nodes run, which outputs publish. */
export function scopeTitle(run: ScopedRun): string {
  const publishes = run.publishes.length ? `publishes ${run.publishes.join(', ')}` : 'publishes nothing';
  const needed = run.needed.length ? `; ${run.needed.length} upstream node${run.needed.length > 1 ? 's' : ''} from the cache or made again` : '';
  return `--select ${run.select}: runs ${run.selected.length} node${run.selected.length > 1 ? 's' : ''}${needed}; ${publishes}`;
}
