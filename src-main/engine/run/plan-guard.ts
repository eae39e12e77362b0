import type { DuckDBConnection } from '@duckdb/node-api';
import { canonicalJson } from '../../../shared/canonical-json';
import { PipelineInvalidError, type ValidationIssue } from '../../../shared/errors';
import { nodeKindSpec } from '../../../shared/nodes/registry';
import type { Pipeline, PipelineNode } from '../../../shared/pipeline/schema';
import type { DuckdbFactory } from '../context';
import { guardNode, guardTexts, nodeNameIndex } from '../sandbox/node-guard';
import { parseTexts } from '../sandbox/query-guard';
import type { Plan, PlannedNode } from './plan';

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
  const todo: { p: PlannedNode; generated: string[]; key: string }[] = [];
  for (const p of plan.nodes) {
    const generated = p.runtime.queries ? p.runtime.queries(p.ctx) : [];
    const key = memo ? verdictKey(p.node.kind, p.ctx.config, p.ctx.inputs.map((i) => i.name), generated) : '';
    const passed = memo?.get(key);
    if (passed) p.guard = { variables: passed.variables };
    else todo.push({ p, generated, key });
  }
  // Every text the checks below read, parsed in one round trip.
  const parsed = await parseTexts(conn, todo.flatMap(({ p, generated }) => guardTexts(p.node, p.ctx.config, generated)));
  for (const { p, generated, key } of todo) {
    const facts = await guardNode(conn, p.node, index.get(p.node.id) ?? 0, p.ctx.config, p.ctx.inputs.map((i) => i.name), names, generated, parsed);
    issues.push(...facts.issues);
    p.guard = { variables: facts.variables };
    if (memo && !facts.issues.length) rememberPassed(memo, key, facts.variables);
  }
  if (issues.length) throw new PipelineInvalidError(source, issues);
}

/** Everything a node's verdict depends on: its kind, its parsed config with every SQL field, the names it may read, the queries built around it. */
function verdictKey(kind: string, config: unknown, inputs: readonly string[], generated: readonly string[]): string {
  return canonicalJson({ kind, config, inputs, generated });
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
 * The same checks over a whole pipeline, for `weir validate`, the designer's problems list and
 * a run's preflight: nodes whose config does not parse are left to the schema's own messages.
 * A run hands in the memo its plan is then checked with (`guardPlan`), so that a node whose
 * kind, config, input names and generated queries are the same is not parsed a second time.
 */
export async function guardPipeline(conn: DuckDBConnection, pipeline: Pipeline, memo?: GuardMemo): Promise<ValidationIssue[]> {
  const byId = new Map(pipeline.nodes.map((n) => [n.id, n]));
  const names = nodeNameIndex(pipeline);
  const issues: ValidationIssue[] = [];
  const todo: { node: PipelineNode; i: number; config: unknown; inputNames: string[]; generated: string[] }[] = [];
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
    todo.push({ node, i, config: parsed.data, inputNames, generated });
  }
  const trees = await parseTexts(conn, todo.flatMap((t) => guardTexts(t.node, t.config, t.generated)));
  for (const { node, i, config, inputNames, generated } of todo) {
    const facts = await guardNode(conn, node, i, config, inputNames, names, generated, trees);
    issues.push(...facts.issues);
    if (memo && !facts.issues.length) rememberPassed(memo, verdictKey(node.kind, config, inputNames, generated), facts.variables);
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
