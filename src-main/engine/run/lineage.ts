import type { PipelineLineage } from '../../../shared/lineage';
import { WeirError } from '../../../shared/errors';
import type { EngineContext } from '../context';
import { pipelineLineage } from '../lineage/column-lineage';
import { inSession, PreviewSession, type NodeRequest } from './preview-session';

/** What `engine.lineage()` takes: a preview request for the whole pipeline rather than one node. */
export type LineageRequest = Omit<NodeRequest, 'nodeId'>;

/**
 * The column graph of a pipeline (shared/lineage/types.ts): its nodes made as a preview makes
 * them (sources read, transforms bound as views; sinks never run), in `session` when given (the
 * designer's warm one), then every node's query parsed by DuckDB and walked. A branch that
 * cannot be made (a source whose file is missing) leaves its nodes "not made" with the reason;
 * the rest is still answered.
 */
export async function lineageOfPipeline(engine: EngineContext, req: LineageRequest, session?: PreviewSession): Promise<PipelineLineage> {
  const { pipeline } = req;
  if (!pipeline.nodes.length) return { format: 'weir.lineage', version: 1, pipeline: pipeline.name, nodes: [] };
  const fed = new Set(pipeline.nodes.flatMap((n) => n.inputs));
  const leaves = pipeline.nodes.filter((n) => !fed.has(n.id));
  const own = session ? null : new PreviewSession(engine, req.file);
  const use = session ?? own!;
  try {
    const failures: { node: string; error: Error }[] = [];
    let madeOne: string | null = null;
    // Every leaf in one request (a warm session answers it from what it holds); when one branch
    // cannot be made, each leaf on its own, so the others are still answered.
    try {
      return await inSession(engine, { ...req, nodeId: leaves[0]!.id, alsoMake: leaves.slice(1).map((l) => l.id) }, use, (conn) => pipelineLineage(conn, pipeline));
    } catch (e) {
      if (e instanceof WeirError && e.kind === 'cancelled') throw e;
    }
    for (const leaf of leaves) {
      try {
        await inSession(engine, { ...req, nodeId: leaf.id }, use, async () => {});
        madeOne ??= leaf.id;
      } catch (e) {
        if (e instanceof WeirError && e.kind === 'cancelled') throw e;
        failures.push({ node: leaf.name, error: e as Error });
      }
    }
    if (!madeOne) {
      const first = failures[0];
      throw first?.error instanceof WeirError ? first.error : new WeirError('node', `no node of the pipeline could be made: ${first?.error.message ?? 'unknown error'}`);
    }
    // Every relation the session made is in its catalog now; the lineage reads their bound columns.
    const graph = await inSession(engine, { ...req, nodeId: madeOne }, use, (conn) => pipelineLineage(conn, pipeline));
    for (const f of failures) {
      const node = graph.nodes.find((n) => n.name === f.node);
      if (node && !node.columns.length) node.problem = `not made: ${f.error.message}`;
    }
    return graph;
  } finally {
    await own?.close();
  }
}
