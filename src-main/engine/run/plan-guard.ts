import type { DuckDBConnection } from '@duckdb/node-api';
import { canonicalJson } from '../../../shared/canonical-json';
import { PipelineInvalidError, type ValidationIssue } from '../../../shared/errors';
import { nodeKindSpec } from '../../../shared/nodes/registry';
import type { Pipeline } from '../../../shared/pipeline/schema';
import type { DuckdbFactory } from '../context';
import { guardNode, nodeNameIndex } from '../sandbox/node-guard';
import type { Plan } from './plan';

// The sandbox's rules (sandbox/node-guard.ts) applied to a run's plan: it reads the plan, so it
// sits with the run, above the nodes and the sandbox it draws on.

/**
 * Checks every node of a plan with the sandbox before anything runs, and notes on each the
 * parameters its SQL reads (for its cache key). Runs and previews call it on the nodes they
 * are about to run; materializeNode refuses a node it did not pass. `source` names the file
 * in the error.
 */
export async function guardPlan(conn: DuckDBConnection, plan: Plan, source: string, memo?: GuardMemo): Promise<void> {
  const index = new Map(plan.pipeline.nodes.map((n, i) => [n.id, i]));
  const names = nodeNameIndex(plan.pipeline);
  const issues: ValidationIssue[] = [];
  for (const p of plan.nodes) {
    const generated = p.runtime.queries ? p.runtime.queries(p.ctx) : [];
    const inputNames = p.ctx.inputs.map((i) => i.name);
    const key = memo ? canonicalJson({ kind: p.node.kind, config: p.ctx.config, inputs: inputNames, generated }) : '';
    const passed = memo?.get(key);
    if (passed) {
      p.guard = { variables: passed.variables };
      continue;
    }
    const facts = await guardNode(conn, p.node, index.get(p.node.id) ?? 0, p.ctx.config, inputNames, names, generated);
    issues.push(...facts.issues);
    p.guard = { variables: facts.variables };
    if (memo && !facts.issues.length) rememberPassed(memo, key, facts.variables);
  }
  if (issues.length) throw new PipelineInvalidError(source, issues);
}

/**
 * The sandbox's passing verdicts, for a caller that checks the same SQL again and again (a
 * preview session, at every keystroke's preview): keyed by everything the verdict depends
 * on (the kind, its parsed config with every SQL field, the input names it may read and the
 * queries built around it), never by node. Refusals are not kept: they are checked again,
 * and their messages name the node where it is now.
 */
export type GuardMemo = Map<string, { variables: string[] | null }>;

const MEMO_SIZE = 2_000;

function rememberPassed(memo: GuardMemo, key: string, variables: string[] | null): void {
  memo.set(key, { variables });
  // Oldest first out: a long editing session checks many versions of the same SQL.
  while (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value as string);
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
export async function withGuardConnection<T>(duckdb: DuckdbFactory, allowed: readonly string[], use: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const conn = await (await duckdb(allowed)).connect();
  try {
    return await use(conn);
  } finally {
    conn.closeSync();
  }
}
