import { lakeSinkKind } from '../../../../shared/nodes/lake-sink';
import { WeirError } from '../../../../shared/errors';
import { normalizePrefix } from '../../storage/glob';
import { closeObjectStore } from '../../storage/open-store';
import { storeFor } from '../lake-source/objects';
import { firstInputName } from '../first-input';
import { defineNodeRuntime } from '../define';
import { writeLocalOutput } from './local-output';
import { commitLakeOutput, discardLakeOutput, stageLakeOutput, type StagedLake } from './publish';
import { manifestKey } from '../../storage/lake-manifest';

/**
 * Writes its input as Parquet or CSV to a lake connection. The files are written locally
 * by DuckDB, uploaded under a run-scoped folder, and published by replacing the output's
 * `_manifest.json` last: readers see the previous output until then, whatever happens.
 */
export const lakeSinkRuntime = defineNodeRuntime(lakeSinkKind, {
  /**
   * Stages the output (files written locally, uploaded under `_runs/<run id>/`, the next
   * manifest built); the run's publish phase writes the manifest, or discards the uploads.
   */
  async run(ctx) {
    const input = firstInputName(ctx);
    const store = await storeFor(ctx);
    let staged: StagedLake;
    let local: Awaited<ReturnType<typeof writeLocalOutput>>;
    try {
      local = await writeLocalOutput(ctx, input);
      ctx.reportRows(local.rows);
      if (ctx.signal.aborted) throw new WeirError('cancelled', 'cancelled');
      staged = await stageLakeOutput({
        store,
        dir: normalizePrefix(ctx.config.path),
        runId: ctx.runId,
        nodeName: ctx.node.name,
        config: ctx.config,
        files: local.files,
        rows: local.rows,
        signal: ctx.signal,
        warn: ctx.warn,
      });
    } catch (e) {
      closeObjectStore(store);
      throw e;
    }
    const manifest = store.uri(manifestKey(staged.dir));
    return {
      rows: local.rows,
      outputHash: local.sha256,
      outputs: staged.outputs,
      publication: {
        target: manifest,
        evidence: { kind: 'other', how: `published if ${manifest} names run ${ctx.runId} (its run_id)` },
        commit: async () => {
          try {
            // No signal: the manifest write settles; a cancel during it is reported after it.
            const done = await commitLakeOutput(staged);
            return { outputs: done.outputs };
          } catch (e) {
            if (staged.state === 'uncertain' && e instanceof Error) Object.assign(e, { uncertain: true });
            else await discardLakeOutput(staged).catch(() => {});
            throw e;
          } finally {
            closeObjectStore(store);
          }
        },
        discard: async () => {
          try {
            await discardLakeOutput(staged);
          } finally {
            closeObjectStore(store);
          }
        },
      },
    };
  },
});
