import { dirname } from 'node:path';
import type { PlanResult } from '../../shared/api/plan-schemas';
import { parsePipeline } from '../../shared/pipeline/parse';
import type { Pipeline } from '../../shared/pipeline/schema';
import { findWorkspace, loadPipelineFile, planPipeline } from '../engine';
import { insideWorkspace, workspaceRoot } from './paths';

export interface PlanRequest {
  root: string;
  path: string;
  /** The unsaved document, planned as if it were the file at `path`; omitted: the file on disk. */
  pipeline?: Pipeline;
  select?: string;
}

/**
 * The engine's plan of a pipeline, exactly what `weir plan` prints: the order its nodes run in
 * and the statements each runs, nothing run. Paths compile against the file's workspace.
 */
export async function planFile(req: PlanRequest): Promise<PlanResult> {
  const file = insideWorkspace(workspaceRoot(req.root), req.path);
  // An unsaved document is checked as the file would be (node configs included), so that the
  // plan of a document and of the file it becomes never differ.
  const pipeline = req.pipeline ? parsePipeline(JSON.stringify(req.pipeline), req.path).pipeline : (await loadPipelineFile(file)).pipeline;
  const plan = await planPipeline(pipeline, findWorkspace(dirname(file)), 'plan', req.select || null, file);
  return {
    pipeline: plan.pipeline.name,
    params: plan.pipeline.params,
    steps: plan.nodes.map((p, i) => ({
      step: i + 1,
      id: p.node.id,
      name: p.node.name,
      kind: p.node.kind,
      relation: p.compiled.relation,
      inputs: p.ctx.inputs.map((x) => x.name),
      statements: p.compiled.statements,
      selected: p.selected,
    })),
  };
}
