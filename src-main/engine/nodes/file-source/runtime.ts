import { fileSourceKind, readStatement, type FileSourceConfig } from '../../../../shared/nodes/file-source';
import { WeirError } from '../../../../shared/errors';
import { queryRows } from '../../duckdb/session';
import { literal } from '../../duckdb/sql';
import { fileSha256 } from '../../storage/file-hash';
import type { InputObject } from '../../../../shared/run/record';
import { defineNodeRuntime } from '../define';
import type { CompileContext, RunContext } from '../types';
import { checkContained, containedPath, targetKind } from '../../sandbox/paths';
import { watchFiles } from './watch';

/** The pattern as an absolute path, after checking it stays inside the workspace. */
function absolutePattern(ctx: CompileContext<FileSourceConfig>, path = ctx.config.path): string {
  return containedPath(ctx.workspace, path, `file_source "${ctx.node.name}"`).replace(/\\/g, '/');
}

/**
 * The files the pattern matches, each checked where it really is (a symlink inside the
 * workspace may lead out of it, or into .weir/): DuckDB then reads exactly this list.
 */
async function matchedFiles(ctx: RunContext<FileSourceConfig>): Promise<string[]> {
  const pattern = absolutePattern(ctx);
  const rows = await queryRows(ctx.conn, `SELECT file FROM glob(${literal(pattern)}) ORDER BY file`);
  const files = rows.map((r) => String(r.file));
  if (!files.length) {
    throw new WeirError('node', `no file matches "${ctx.config.path}" in ${ctx.workspace.root}`);
  }
  for (const f of files) {
    checkContained(ctx.workspace, f, `file_source "${ctx.node.name}"`);
    if (targetKind(f) !== 'file') throw new WeirError('node', `file_source "${ctx.node.name}": "${f}" is not a regular file`);
  }
  return files;
}

interface Matched {
  files: string[];
  inputs: InputObject[];
}

/**
 * Matched and described once per run context: the fingerprint (cache key), the run record and
 * the read itself use the same checked list of files (globbed and checked once, not per use).
 */
function describeInputs(ctx: RunContext<FileSourceConfig>): Promise<Matched> {
  let described = descriptions.get(ctx);
  if (!described) {
    described = describeMatched(ctx);
    descriptions.set(ctx, described);
  }
  return described;
}

const descriptions = new WeakMap<RunContext<FileSourceConfig>, Promise<Matched>>();

async function describeMatched(ctx: RunContext<FileSourceConfig>): Promise<Matched> {
  const files = await matchedFiles(ctx);
  const inputs = await Promise.all(
    files.map(async (f) => {
      const { sha256, size } = await fileSha256(f);
      return { uri: `file://${f}`, size, sha256 };
    }),
  );
  return { files, inputs };
}

export const fileSourceRuntime = defineNodeRuntime(fileSourceKind, {
  cacheable: true,
  // What `weir plan` shows: the pattern, absolute; a run reads the checked list of matched files instead.
  filePath: absolutePattern,
  async previewStatements(ctx) {
    return [readStatement(ctx.node.name, await matchedFiles(ctx), ctx.config, 'view')];
  },
  watch: (ctx) => watchFiles(absolutePattern(ctx), () => matchedFiles(ctx)),
  async fingerprint(ctx) {
    const { inputs } = await describeInputs(ctx);
    return { fingerprint: inputs.map((i) => `${i.uri} ${i.sha256}`).join('\n'), inputs };
  },
  async run(ctx) {
    const { files, inputs } = await describeInputs(ctx);
    await ctx.conn.run(readStatement(ctx.node.name, files, ctx.config));
    return { rows: null, inputs };
  },
});
