import type { Pipeline } from '../../shared/pipeline/schema';

/**
 * What a node's rows depend on: its own and its upstream nodes' kind, name, inputs and
 * config, and the parameter defaults. Equal signatures give equal previews.
 */
export function upstreamSignature(doc: Pipeline, nodeId: string): string {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const parts: unknown[] = [doc.params];
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const n = byId.get(id);
    if (!n) return;
    parts.push([n.id, n.kind, n.name, n.inputs, n.config]);
    n.inputs.forEach(visit);
  };
  visit(nodeId);
  return JSON.stringify(parts);
}
