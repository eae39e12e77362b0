import type { Pipeline } from '../pipeline/schema';
import { topoOrder } from '../pipeline/graph';
import { nodeKindSpec } from '../nodes/registry';
import { kindLineage, type KindLineage } from './kind-lineage';
import { queryLineage, type Json } from './sql-lineage';
import type { ColumnLineage, NodeLineage, PipelineLineage } from './types';

/** A relation's columns as DuckDB bound them (DESCRIBE), by node name in lower case. */
export type BoundColumns = ReadonlyMap<string, readonly { name: string; type: string }[]>;

/** What each node's lineage is made from, and the SQL to parse for those that run a query. */
export function lineagePlan(pipeline: Pipeline): Map<string, KindLineage> {
  const names = new Map(pipeline.nodes.map((n) => [n.id, n.name]));
  const out = new Map<string, KindLineage>();
  for (const node of pipeline.nodes) out.set(node.id, kindLineage(node, node.inputs.map((i) => names.get(i) ?? i)));
  return out;
}

/**
 * The pipeline's column graph: each node's columns with what they read of their inputs'.
 * `trees` holds DuckDB's parse (`json_serialize_sql`) of each `query` node's SQL, by node id.
 */
export function buildLineage(pipeline: Pipeline, plan: ReadonlyMap<string, KindLineage>, bound: BoundColumns, trees: ReadonlyMap<string, Json>): PipelineLineage {
  const done = new Map<string, NodeLineage>();
  const nodes: NodeLineage[] = [];
  for (const node of topoOrder(pipeline.nodes)) {
    const how = plan.get(node.id) ?? kindLineage(node, []);
    const category = nodeKindSpec(node.kind)?.category ?? 'transform';
    const own = bound.get(node.name.toLowerCase());
    const inputs = node.inputs.map((id) => done.get(id));
    const base = { id: node.id, name: node.name, kind: node.kind, category };
    let out: NodeLineage;
    if (how.type === 'origin') {
      out = own
        ? { ...base, ...(how.origin ? { origin: how.origin } : {}), columns: own.map((c) => ({ name: c.name, type: c.type, direct: [], indirect: [], unknown: [] })) }
        : { ...base, columns: [], problem: 'its columns are not known: it was not made' };
    } else if (how.type === 'pass') {
      const from = inputs[how.input];
      out = from
        ? { ...base, columns: from.columns.map((c) => ({ name: c.name, ...(c.type ? { type: c.type } : {}), direct: [{ node: from.name, column: c.name }], indirect: [], unknown: [] })) }
        : { ...base, columns: [], problem: 'its input is not in the pipeline' };
    } else if (how.type === 'query') {
      const missing = inputs.findIndex((i) => !i || i.problem);
      const known = inputs.filter((i): i is NodeLineage => !!i).map((i) => ({ name: i.name, columns: i.columns.map((c) => c.name) }));
      const columns = queryLineage(trees.get(node.id) ?? null, known, own?.map((c) => c.name));
      if (missing >= 0) for (const c of columns) c.unknown.push(`input "${inputs[missing]?.name ?? node.inputs[missing]}" has no known columns`);
      out = { ...base, columns: withTypes(columns, own) };
      if (!own && !columns.length) out.problem = 'its columns are not known: it was not made';
    } else {
      out = { ...base, columns: (own ?? []).map((c) => ({ name: c.name, type: c.type, direct: [], indirect: [], unknown: [how.reason] })), problem: how.reason };
    }
    done.set(node.id, out);
    nodes.push(out);
  }
  return { format: 'weir.lineage', version: 1, pipeline: pipeline.name, nodes };
}

function withTypes(columns: ColumnLineage[], own: readonly { name: string; type: string }[] | undefined): ColumnLineage[] {
  if (!own) return columns;
  return columns.map((c, i) => ({ ...c, ...(own[i] ? { type: own[i]!.type } : {}) }));
}
