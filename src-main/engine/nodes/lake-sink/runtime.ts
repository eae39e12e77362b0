import type { LakeSinkConfig } from '../../../../shared/nodes/lake-sink';
import { WeirError } from '../../../../shared/errors';
import { normalizePrefix } from '../../storage/glob';
import { closeObjectStore } from '../../storage/open-store';
import { copyStatement } from '../file-sink/copy-statement';
import { storeFor } from '../lake-source/objects';
import { firstInputName } from '../first-input';
import type { NodeRuntime } from '../types';
import { writeLocalOutput } from './local-output';
import { publishToLake } from './publish';

/**
 * Writes its input as Parquet or CSV to a lake connection. The files are written locally
 * by DuckDB, uploaded under a run-scoped folder, and published by replacing the output's
 * `_manifest.json` last: readers see the previous output until then, whatever happens.
 */
export const lakeSinkRuntime: NodeRuntime<LakeSinkConfig> = {
  kind: 'lake_sink',
  compile(ctx) {
    const dir = normalizePrefix(ctx.config.path);
    const local = `<scratch>/data_0.${ctx.config.format}`;
    return {
      relation: 'none',
      statements: [
        copyStatement(firstInputName(ctx), ctx.config.partition_by.length ? '<scratch>' : local, ctx.config),
        `-- upload to ${ctx.config.connection}:${dir}_runs/${ctx.runId}/, then publish ${ctx.config.connection}:${dir}_manifest.json (${ctx.config.mode})`,
      ],
    };
  },
  async run(ctx) {
    const input = firstInputName(ctx);
    const store = await storeFor(ctx);
    try {
      const local = await writeLocalOutput(ctx, input);
      ctx.reportRows(local.rows);
      if (ctx.signal.aborted) throw new WeirError('cancelled', 'cancelled');
      const outputs = await publishToLake({
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
      return { rows: local.rows, outputHash: local.sha256, outputs };
    } finally {
      closeObjectStore(store);
    }
  },
};
