import type { OutputObject } from '../../../../shared/run/record';
import { manifestKey } from '../../storage/lake-manifest';
import { commitLakeOutput } from './commit';
import { discardLakeOutput } from './discard';
import { stageLakeOutput, type StageArgs } from './stage';

export { commitLakeOutput, SETTLE_MS, type CommitOptions, type CommitResult } from './commit';
export { discardLakeOutput } from './discard';
export { stageLakeOutput, type StageArgs, type StagedLake } from './stage';

export type PublishArgs = StageArgs;

/**
 * Stage and commit in one step, for callers that publish a lake output on its own: the
 * run's files go under `<dir>_runs/<run id>/`, then one write of `<dir>_manifest.json`
 * publishes them. If the commit fails without publishing, the staged files are discarded;
 * if it is uncertain whether it published, they are kept (see commitLakeOutput).
 */
export async function publishToLake(a: PublishArgs): Promise<OutputObject[]> {
  const staged = await stageLakeOutput(a);
  try {
    const done = await commitLakeOutput(staged, { signal: a.signal });
    if (done.thenCancelled) a.warn(`${a.store.uri(manifestKey(a.dir))} was published before the cancel took effect`);
    return done.outputs;
  } catch (e) {
    await discardLakeOutput(staged);
    throw e;
  }
}
