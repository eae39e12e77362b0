import type { ColumnLineage, ColumnRef, ColumnTrace, NodeLineage, PipelineLineage, TraceHit, Via } from './types';

const key = (node: string, column: string) => `${node.toLowerCase()}\u0000${column.toLowerCase()}`;

interface Index {
  nodes: Map<string, NodeLineage>;
  columns: Map<string, { node: NodeLineage; column: ColumnLineage }>;
  /** Downstream edges: a column to the columns that read it, and how. */
  readers: Map<string, { ref: ColumnRef; via: Via }[]>;
}

const indexes = new WeakMap<PipelineLineage, Index>();

function indexOf(graph: PipelineLineage): Index {
  const known = indexes.get(graph);
  if (known) return known;
  const idx: Index = { nodes: new Map(), columns: new Map(), readers: new Map() };
  for (const node of graph.nodes) {
    idx.nodes.set(node.name.toLowerCase(), node);
    for (const column of node.columns) {
      idx.columns.set(key(node.name, column.name), { node, column });
      const add = (from: ColumnRef, via: Via) => {
        const k = key(from.node, from.column);
        const list = idx.readers.get(k) ?? [];
        list.push({ ref: { node: node.name, column: column.name }, via });
        idx.readers.set(k, list);
      };
      for (const r of column.direct) add(r, 'direct');
      for (const r of column.indirect) add(r, 'indirect');
    }
  }
  indexes.set(graph, idx);
  return idx;
}

/** The node and column a `NODE.COLUMN` names in the graph (names compared as DuckDB does, ignoring case), or why not. */
export function findColumn(graph: PipelineLineage, ref: ColumnRef): { node: NodeLineage; column: ColumnLineage } | string {
  const idx = indexOf(graph);
  const node = idx.nodes.get(ref.node.toLowerCase()) ?? graph.nodes.find((n) => n.id === ref.node);
  if (!node) return `no node named "${ref.node}"`;
  const hit = idx.columns.get(key(node.name, ref.column));
  if (hit) return hit;
  if (node.problem) return `node "${node.name}": ${node.problem}`;
  return `node "${node.name}" has no column "${ref.column}" (its columns: ${node.columns.map((c) => c.name).join(', ') || 'none'})`;
}

/**
 * Every column a column is computed from (upstream) or feeds (downstream), across the whole
 * graph. A hit is direct when every step on one path to it is direct; nearest first.
 */
export function traceColumn(graph: PipelineLineage, ref: ColumnRef, direction: 'upstream' | 'downstream'): ColumnTrace {
  const idx = indexOf(graph);
  const start = findColumn(graph, ref);
  if (typeof start === 'string') throw new Error(start);
  const from = { node: start.node.name, column: start.column.name };
  const best = new Map<string, TraceHit>();
  let frontier: { ref: ColumnRef; via: Via }[] = [{ ref: from, via: 'direct' }];
  for (let depth = 1; frontier.length; depth++) {
    const next: { ref: ColumnRef; via: Via }[] = [];
    for (const f of frontier) {
      for (const step of stepsFrom(idx, f.ref, direction)) {
        const via: Via = f.via === 'direct' && step.via === 'direct' ? 'direct' : 'indirect';
        const k = key(step.ref.node, step.ref.column);
        const seen = best.get(k);
        // Visited again only when the new path is direct and the old one was not.
        if (seen && (seen.via === 'direct' || via === 'indirect')) continue;
        const target = idx.columns.get(k);
        const hit: TraceHit = { node: step.ref.node, column: step.ref.column, via, depth: seen?.depth ?? depth };
        if (target?.node.origin !== undefined && target.node.category === 'source') hit.origin = target.node.origin;
        if (target?.column.unknown.length) hit.unknown = target.column.unknown;
        if (!target) hit.unknown = [`column not found in the graph`];
        best.set(k, hit);
        if (k !== key(from.node, from.column)) next.push({ ref: step.ref, via });
      }
    }
    frontier = next;
  }
  best.delete(key(from.node, from.column));
  const order = new Map(graph.nodes.map((n, i) => [n.name.toLowerCase(), i]));
  const hits = [...best.values()].sort((a, b) => a.depth - b.depth || (order.get(a.node.toLowerCase()) ?? 0) - (order.get(b.node.toLowerCase()) ?? 0) || a.column.localeCompare(b.column));
  return { from, direction, hits, unknown: start.column.unknown };
}

function stepsFrom(idx: Index, ref: ColumnRef, direction: 'upstream' | 'downstream'): { ref: ColumnRef; via: Via }[] {
  if (direction === 'downstream') return idx.readers.get(key(ref.node, ref.column)) ?? [];
  const col = idx.columns.get(key(ref.node, ref.column))?.column;
  if (!col) return [];
  return [...col.direct.map((r) => ({ ref: r, via: 'direct' as const })), ...col.indirect.map((r) => ({ ref: r, via: 'indirect' as const }))];
}

/** The source columns a column comes from: the ends of its upstream trace. */
export function sourceColumns(graph: PipelineLineage, ref: ColumnRef): TraceHit[] {
  return traceColumn(graph, ref, 'upstream').hits.filter((h) => h.origin !== undefined || indexOf(graph).nodes.get(h.node.toLowerCase())?.category === 'source');
}
