import type { DuckDBConnection } from '@duckdb/node-api';
import { PipelineInvalidError, type ValidationIssue } from '../../../shared/errors';
import { nodeKindSpec } from '../../../shared/nodes/registry';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { duckdbFor } from '../duckdb/instance';
import type { Plan } from '../run/plan';
import { guardNode, nodeNameIndex } from './node-guard';

/**
 * Checks every node of a plan with the sandbox before anything runs, and notes on each the
 * parameters its SQL reads (for its cache key). Runs and previews call it on the nodes they
 * are about to run; materializeNode refuses a node it did not pass. `source` names the file
 * in the error.
 */
export async function guardPlan(conn: DuckDBConnection, plan: Plan, source: string): Promise<void> {
  const index = new Map(plan.pipeline.nodes.map((n, i) => [n.id, i]));
  const names = nodeNameIndex(plan.pipeline);
  const issues: ValidationIssue[] = [];
  for (const p of plan.nodes) {
    const generated = p.runtime.queries ? p.runtime.queries(p.ctx) : [];
    const facts = await guardNode(conn, p.node, index.get(p.node.id) ?? 0, p.ctx.config, p.ctx.inputs.map((i) => i.name), names, generated);
    issues.push(...facts.issues);
    p.guard = { variables: facts.variables };
  }
  if (issues.length) throw new PipelineInvalidError(source, issues);
}

/**
 * The same checks over a whole pipeline, for `weir validate` and the designer's problems list:
 * nodes whose config does not parse are left to the schema's own messages.
 */
export async function guardPipeline(conn: DuckDBConnection, pipeline: Pipeline): Promise<ValidationIssue[]> {
  const byId = new Map(pipeline.nodes.map((n) => [n.id, n]));
  const names = nodeNameIndex(pipeline);
  const issues: ValidationIssue[] = [];
  for (const [i, node] of pipeline.nodes.entries()) {
    const spec = nodeKindSpec(node.kind);
    const parsed = spec?.config.safeParse(node.config);
    if (!spec || !parsed?.success) continue;
    const inputNames = node.inputs.map((id) => byId.get(id)?.name ?? id);
    let generated: string[] = [];
    try {
      // The queries its definition builds around the typed SQL, as a run builds them.
      generated = spec.queries?.(parsed.data, { nodeName: node.name, nodeId: node.id, inputNames, fanOut: 0 }) ?? [];
    } catch {
      // A config the kind cannot compile is reported by the kind's own checks.
    }
    const facts = await guardNode(conn, node, i, parsed.data, inputNames, names, generated);
    issues.push(...facts.issues);
  }
  return issues;
}

/** A short-lived connection for the checks (parsing only: no session, no files). */
export async function withGuardConnection<T>(allowed: readonly string[], use: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const conn = await (await duckdbFor(allowed)).connect();
  try {
    return await use(conn);
  } finally {
    conn.closeSync();
  }
}
