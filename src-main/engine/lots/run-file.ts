import type { EngineContext } from '../context';
import { loadPipelineFile } from '../pipeline/load';
import { runLoaded, type RunOutcome, type RunRequest } from '../run/run-pipeline';

/**
 * The front door's run: a partitioned pipeline lot by lot (run-lots.ts, loaded only then), any
 * other as one run, with nothing more to load or do than before lots existed.
 */
export async function runFile(engine: EngineContext, req: RunRequest): Promise<RunOutcome> {
  const loaded = await loadPipelineFile(req.file);
  return loaded.pipeline.partitions ? (await import('./run-lots')).runLots(engine, req, loaded) : runLoaded(engine, req, loaded);
}
