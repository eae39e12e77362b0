import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { FileSinkConfig } from '../../../../shared/nodes/file-sink';
import { WeirError } from '../../../../shared/errors';
import { discard, publishPath, recoverStranded, stagingPath } from '../../storage/atomic-publish';
import { describeOutput } from '../../storage/tree-hash';
import { firstInputName } from '../first-input';
import type { CompileContext, NodeRuntime } from '../types';
import { copyStatement } from './copy-statement';

function paths(ctx: CompileContext<FileSinkConfig>) {
  const target = resolve(ctx.workspace.root, ctx.config.path);
  return { target, staged: stagingPath(target, ctx.runId) };
}

export const fileSinkRuntime: NodeRuntime<FileSinkConfig> = {
  kind: 'file_sink',
  compile(ctx) {
    const { staged } = paths(ctx);
    return { relation: 'none', statements: [copyStatement(firstInputName(ctx), staged, ctx.config)] };
  },
  /** Up to date when the target still hashes to what was published (hashes are memoised by stat). */
  async upToDate(ctx, published) {
    const { target } = paths(ctx);
    await recoverStranded(target); // a run killed mid-swap: the previous output may be set aside
    if (!existsSync(target) || !published.length) return false;
    const now = await describeOutput(target);
    const before = published.map((o) => `${o.uri} ${o.sha256}`).join('\n');
    return now.files.map((o) => `${o.uri} ${o.sha256}`).join('\n') === before;
  },
  async run(ctx) {
    const { target, staged } = paths(ctx);
    await recoverStranded(target); // readers see the previous output while this run writes
    await discard(staged);
    try {
      await mkdir(dirname(staged), { recursive: true });
      const res = await ctx.conn.run(copyStatement(firstInputName(ctx), staged, ctx.config));
      const rows = Number(res.rowsChanged);
      ctx.reportRows(rows);
      if (ctx.signal.aborted) throw new WeirError('cancelled', 'cancelled');
      const described = await describeOutput(staged);
      await publishPath(staged, target);
      const outputs = described.files.map((f) => ({ ...f, uri: f.uri.replace(staged, target) }));
      return { rows, outputHash: described.sha256, outputs };
    } catch (e) {
      await discard(staged);
      throw e;
    }
  },
};
