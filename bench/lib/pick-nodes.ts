import { readFileSync, writeFileSync } from 'node:fs';
import { nodeKindSpec } from '../../shared/nodes/registry';
import { parsePipeline } from '../../shared/pipeline/parse';
import { serializePipeline } from '../../shared/pipeline/canonical';
import { upstreamOf } from '../../shared/pipeline/graph';
import type { Pipeline, PipelineNode } from '../../shared/pipeline/schema';

export function readPipeline(file: string): Pipeline {
  return parsePipeline(readFileSync(file, 'utf8'), file).pipeline;
}

const isSink = (n: PipelineNode) => nodeKindSpec(n.kind)?.category === 'sink';

function consumers(p: Pipeline, id: string): PipelineNode[] {
  return p.nodes.filter((n) => n.inputs.includes(id));
}

/** Nodes with the most upstream first (the ones that read the most data), file order on ties. */
function byUpstream(p: Pipeline, nodes: PipelineNode[]): PipelineNode[] {
  const size = new Map(nodes.map((n) => [n.id, upstreamOf(p.nodes, n.id).size]));
  return [...nodes].sort((a, b) => (size.get(b.id) ?? 0) - (size.get(a.id) ?? 0));
}

/**
 * Figure 3's node: a SQL node in the middle of the graph (it has inputs, and nodes other
 * than sinks read it), the one with the most upstream. `preferred` names it explicitly.
 */
export function midGraphNode(p: Pipeline, preferred?: string): PipelineNode {
  const named = preferred ? p.nodes.find((n) => n.name === preferred) : undefined;
  if (named) return named;
  const mids = p.nodes.filter((n) => n.kind === 'sql' && n.inputs.length > 0 && consumers(p, n.id).some((c) => !isSink(c)));
  const pick = byUpstream(p, mids)[0];
  if (!pick) throw new Error(`pipeline "${p.name}" has no SQL node in the middle of the graph to preview`);
  return pick;
}

/** Figure 2's node: a SQL node read only by sinks (a leaf of the logic), the one with the most upstream. */
export function leafNode(p: Pipeline, preferred?: string): PipelineNode {
  const named = preferred ? p.nodes.find((n) => n.name === preferred) : undefined;
  if (named) return named;
  const leaves = p.nodes.filter((n) => {
    const c = consumers(p, n.id);
    return n.kind === 'sql' && c.length > 0 && c.every(isSink);
  });
  const pick = byUpstream(p, leaves)[0];
  if (!pick) throw new Error(`pipeline "${p.name}" has no SQL node that feeds a sink`);
  return pick;
}

/**
 * The analyst's edit for figure 2: one more column in the leaf's SQL. Written beside the
 * original (same workspace, so the same cache) as a new file.
 */
export function writeEditedPipeline(p: Pipeline, nodeId: string, to: string, tag: string): void {
  const nodes = p.nodes.map((n) => {
    if (n.id !== nodeId) return n;
    const sql = (n.config as { sql: string[] }).sql;
    return { ...n, config: { ...n.config, sql: ['select *, ' + `'${tag}' as bench_edit`, 'from (', ...sql.map((l) => l.replace(/;\s*$/, '')), ')'] } };
  });
  writeFileSync(to, serializePipeline({ ...p, nodes }));
}
