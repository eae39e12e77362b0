import type { z } from 'zod';
import { WeirError, jsonPath, type ValidationIssue } from '../../../shared/errors';
import { invalidNodesError } from '../../../shared/pipeline/issue-place';
import { selectNodes, topoOrder, upstreamOfAll } from '../../../shared/pipeline/graph';
import type { Pipeline, PipelineNode } from '../../../shared/pipeline/schema';
import { nodeKindSpec } from '../../../shared/nodes/registry';
import { nodeRuntime } from '../nodes/registry';
import type { CompileContext, CompiledNode, NodeRuntime } from '../nodes/types';
import type { Workspace } from '../workspace/workspace';

export interface PlannedNode {
  node: PipelineNode;
  runtime: NodeRuntime<unknown>;
  ctx: CompileContext<unknown>;
  compiled: CompiledNode;
  /** False for an upstream node that runs only because a selected node needs it. */
  selected: boolean;
  /**
   * Set by the sandbox (plan-guard.ts) once the node's SQL passed it: nothing runs a
   * node without it. `variables`: the parameters its SQL reads (null: possibly any).
   */
  guard?: { variables: string[] | null };
}

export interface Plan {
  pipeline: Pipeline;
  workspace: Workspace;
  nodes: PlannedNode[];
}

/**
 * The order nodes run in and what each runs. With a selection, the selected nodes plus
 * whatever upstream they need (the session is new each run, so inputs must be computed or
 * come from the cache); unselected sinks never publish.
 */
export function planPipeline(pipeline: Pipeline, workspace: Workspace, runId: string, select?: string | null, file?: string, lot?: { key: string; value: string }): Plan {
  let chosen: Set<string> | null = null;
  if (select) {
    try {
      chosen = selectNodes(pipeline.nodes, select);
    } catch (e) {
      throw new WeirError('usage', (e as Error).message);
    }
  }
  const needed = new Set<string>();
  // One walk for the whole selection (one per selected node would be quadratic).
  if (chosen) for (const x of [...chosen, ...upstreamOfAll(pipeline.nodes, chosen)]) needed.add(x);
  const byId = new Map(pipeline.nodes.map((n) => [n.id, n]));
  // How many times a node's result is read. A check reads its input once per rule: a view
  // feeding it would be recomputed for every rule, so it counts as a fan-out (a table).
  const fanOut = new Map<string, number>();
  for (const n of pipeline.nodes) {
    const reads = nodeRuntime(n.kind).readsInputRepeatedly ? 2 : 1;
    for (const up of n.inputs) fanOut.set(up, (fanOut.get(up) ?? 0) + reads);
  }

  const nodes = topoOrder(pipeline.nodes)
    .filter((n) => !chosen || needed.has(n.id))
    .map((node): PlannedNode => {
      const spec = nodeKindSpec(node.kind);
      if (!spec) throw new WeirError('invalid', `unknown node kind "${node.kind}"`);
      const parsed = spec.config.safeParse(node.config);
      // A config its kind refuses is the file's fault, said in words (a ZodError would reach
      // the user as an internal error quoting zod's JSON).
      if (!parsed.success) throw invalidNodesError(pipeline, configIssues(pipeline, node, parsed.error));
      const config: unknown = parsed.data;
      const runtime = nodeRuntime(node.kind);
      const ctx: CompileContext<unknown> = {
        node,
        config,
        inputs: node.inputs.map((id) => ({ id, name: byId.get(id)?.name ?? id })),
        fanOut: fanOut.get(node.id) ?? 0,
        workspace,
        runId,
        pipelineFile: file ?? null,
        ...(lot ? { lot } : {}),
      };
      return { node, runtime, ctx, compiled: runtime.compile(ctx), selected: !chosen || chosen.has(node.id) };
    });
  return { pipeline, workspace, nodes };
}

/** A node's config issues as issues of the pipeline (`nodes[3].config.column`). */
function configIssues(pipeline: Pipeline, node: PipelineNode, error: z.ZodError): ValidationIssue[] {
  const i = pipeline.nodes.indexOf(node);
  return error.issues.map((issue) => ({ path: jsonPath(['nodes', i, 'config', ...issue.path]), message: issue.message }));
}
