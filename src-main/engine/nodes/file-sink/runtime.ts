import { existsSync } from 'node:fs';
import { mkdir, rmdir } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { fileSinkKind, type FileSinkConfig } from '../../../../shared/nodes/file-sink';
import { WeirError } from '../../../../shared/errors';
import { checkSinkTarget, containedPath, targetKind } from '../../sandbox/paths';
import { workspaceSourceReads } from '../../sandbox/source-reads';
import { discard, publishPath, recoverStranded, stagingPath } from '../../storage/atomic-publish';
import { describeOutput } from '../../storage/tree-hash';
import { firstInputName } from '../first-input';
import { defineNodeRuntime } from '../define';
import type { CompileContext, RunContext } from '../types';
import { checkFolderOwned, writeMarker } from './ownership';
import { writeCopy } from './partitioned-copy';

/** Folders a run's file sinks created for their staging: `<first created>\0<staging folder>`, by run id. */
const foldersMade = new Map<string, Set<string>>();

/** Removes `dir` and its parents up to `top` (inclusive) while they are empty; true when `top` went too. */
async function removeEmptyUpTo(dir: string, top: string): Promise<boolean> {
  for (let d = dir; d.length >= top.length; d = dirname(d)) {
    try {
      await rmdir(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return false; // not empty: stop there
    }
  }
  return true;
}

const who = (ctx: CompileContext<FileSinkConfig>) => `file_sink "${ctx.node.name}"`;

function paths(ctx: CompileContext<FileSinkConfig>, path = ctx.config.path) {
  const target = containedPath(ctx.workspace, path, who(ctx));
  return { target, staged: stagingPath(target, ctx.runId) };
}

/** Who wrote a folder output, as its marker says: the pipeline file (workspace-relative) and the node id. */
function owner(ctx: CompileContext<FileSinkConfig>) {
  const pipeline = ctx.pipelineFile ? relative(ctx.workspace.root, ctx.pipelineFile).replace(/\\/g, '/') : '(no file)';
  return { pipeline, node: ctx.node.id };
}

/**
 * Everything decided before a byte is written: the target is a place a sink may write
 * (sandbox/paths.ts), of the kind this sink writes (a file, or a folder when partitioned),
 * and a folder there holds only what this sink wrote before.
 */
async function checkTarget(ctx: RunContext<FileSinkConfig>, target: string): Promise<void> {
  checkSinkTarget(ctx.workspace, target, who(ctx), workspaceSourceReads(ctx.workspace), ctx.pipelineFile ?? '');
  const shown = ctx.config.path;
  const kind = targetKind(target);
  const folderOutput = ctx.config.partition_by.length > 0;
  if (kind === 'other') throw new WeirError('invalid', `${who(ctx)}: "${shown}" exists and is neither a file nor a folder`);
  if (kind === 'folder' && !folderOutput) {
    throw new WeirError('invalid', `${who(ctx)}: "${shown}" is a folder; an unpartitioned sink writes one file (remove the folder or choose another path)`);
  }
  if (kind === 'file' && folderOutput) {
    throw new WeirError('invalid', `${who(ctx)}: "${shown}" is a file; a partitioned sink writes a folder (remove the file or choose another path)`);
  }
  if (kind === 'folder') await checkFolderOwned(target, owner(ctx), who(ctx), shown);
}

export const fileSinkRuntime = defineNodeRuntime(fileSinkKind, {
  // What `weir plan` shows: the COPY into the run's staging path beside the target.
  filePath: (ctx, path) => paths(ctx, path).staged,
  /** Up to date when the target still hashes to what was published (hashes are memoised by stat). */
  async upToDate(ctx, published) {
    const { target } = paths(ctx);
    await recoverStranded(target); // a run killed mid-swap: the previous output may be set aside
    if (!existsSync(target) || !published.length) return false;
    const now = await describeOutput(target);
    const before = published.map((o) => `${o.uri} ${o.sha256}`).join('\n');
    return now.files.map((o) => `${o.uri} ${o.sha256}`).join('\n') === before;
  },
  /**
   * Stages the output beside the target (same folder, so the publish is a rename on one file
   * system); the run's publish phase renames it into place, or discards it.
   */
  async run(ctx) {
    const { target, staged } = paths(ctx);
    await recoverStranded(target); // readers see the previous output while this run writes
    await checkTarget(ctx, target);
    await discard(staged);
    // Folders made for staging are removed again when nothing gets published there (several
    // sinks of a run may share one: each discard tries every folder the run made).
    const made = await mkdir(dirname(staged), { recursive: true });
    const runFolders = foldersMade.get(ctx.runId) ?? new Set<string>();
    foldersMade.set(ctx.runId, runFolders);
    const pair = made ? `${made}\0${dirname(staged)}` : null;
    if (pair) runFolders.add(pair);
    const forget = () => {
      if (pair) runFolders.delete(pair);
      if (!runFolders.size) foldersMade.delete(ctx.runId);
    };
    const tidy = async () => {
      await discard(staged);
      for (const p of [...runFolders].sort().reverse()) {
        const [top, dir] = p.split('\0') as [string, string];
        if (await removeEmptyUpTo(dir, top)) runFolders.delete(p);
      }
      if (!runFolders.size) foldersMade.delete(ctx.runId);
    };
    try {
      const rows = await writeCopy(ctx.conn, firstInputName(ctx), staged, ctx.config, ctx.signal);
      ctx.reportRows(rows);
      if (ctx.signal.aborted) throw new WeirError('cancelled', 'cancelled');
      const described = await describeOutput(staged);
      if (ctx.config.partition_by.length) await writeMarker(staged, owner(ctx));
      const outputs = described.files.map((f) => ({ ...f, uri: f.uri.replace(staged, target) }));
      return {
        rows,
        outputHash: described.sha256,
        outputs,
        publication: {
          target: `file://${target}`,
          evidence: { kind: 'file', path: target, sha256: described.sha256 },
          commit: async () => {
            // The target may have changed while the graph ran: the same checks, right before the rename.
            await checkTarget(ctx, target);
            await publishPath(staged, target);
            forget(); // the folder holds the output now
            return { outputs };
          },
          discard: tidy,
        },
      };
    } catch (e) {
      await tidy();
      throw e;
    }
  },
});
