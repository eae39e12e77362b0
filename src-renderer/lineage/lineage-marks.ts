import type { ColumnTrace } from '../../shared/lineage';
import type { Pipeline } from '../../shared/pipeline/schema';
import type { LineageMark } from './lineage-store';

/** The marks of a trace, by node id: the traced node itself, then each node reached (direct wins over indirect). */
export function marksOf(doc: Pipeline, trace: ColumnTrace): Record<string, LineageMark> {
  const idOf = new Map(doc.nodes.map((n) => [n.name.toLowerCase(), n.id]));
  const out: Record<string, LineageMark> = {};
  const fromId = idOf.get(trace.from.node.toLowerCase());
  if (fromId) out[fromId] = { via: 'origin', columns: [{ column: trace.from.column, via: 'direct' }] };
  for (const h of trace.hits) {
    const id = idOf.get(h.node.toLowerCase());
    if (!id || id === fromId) continue;
    const m = (out[id] ??= { via: h.via, columns: [] });
    if (h.via === 'direct') m.via = 'direct';
    m.columns.push({ column: h.column, via: h.via });
  }
  return out;
}

