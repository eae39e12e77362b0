import type { FileSourceConfig } from '../../../../shared/nodes/file-source';
import { WeirError } from '../../../../shared/errors';
import { queryRows } from '../../duckdb/session';
import { ident, literal } from '../../duckdb/sql';
import { fileSha256 } from '../../storage/file-hash';
import type { InputObject } from '../../../../shared/run/record';
import type { CompileContext, NodeRuntime, RunContext } from '../types';
import { checkContained, containedPath, targetKind } from '../../sandbox/paths';
import { readFunction } from './read-function';

/** The pattern as an absolute path, after checking it stays inside the workspace. */
function absolutePattern(ctx: CompileContext<FileSourceConfig>): string {
  return containedPath(ctx.workspace, ctx.config.path, `file_source "${ctx.node.name}"`).replace(/\\/g, '/');
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

/** Described once per run context: the fingerprint (cache key) and the run record list the same files. */
function describeInputs(ctx: RunContext<FileSourceConfig>): Promise<InputObject[]> {
  let described = descriptions.get(ctx);
  if (!described) {
    described = describeMatched(ctx);
    descriptions.set(ctx, described);
  }
  return described;
}

const descriptions = new WeakMap<RunContext<FileSourceConfig>, Promise<InputObject[]>>();

async function describeMatched(ctx: RunContext<FileSourceConfig>): Promise<InputObject[]> {
  const files = await matchedFiles(ctx);
  return Promise.all(
    files.map(async (f) => {
      const { sha256, size } = await fileSha256(f);
      return { uri: `file://${f}`, size, sha256 };
    }),
  );
}

export const fileSourceRuntime: NodeRuntime<FileSourceConfig> = {
  kind: 'file_source',
  cacheable: true,
  compile(ctx) {
    // What `weir plan` shows; a run reads the checked list of matched files instead of the pattern.
    const read = readFunction(absolutePattern(ctx), ctx.config);
    return { relation: 'table', statements: [`CREATE OR REPLACE TABLE ${ident(ctx.node.name)} AS SELECT * FROM ${read}`] };
  },
  async previewStatements(ctx) {
    const read = readFunction(await matchedFiles(ctx), ctx.config);
    return [`CREATE OR REPLACE VIEW ${ident(ctx.node.name)} AS SELECT * FROM ${read}`];
  },
  async fingerprint(ctx) {
    const inputs = await describeInputs(ctx);
    return { fingerprint: inputs.map((i) => `${i.uri} ${i.sha256}`).join('\n'), inputs };
  },
  async run(ctx) {
    const inputs = await describeInputs(ctx);
    const read = readFunction(await matchedFiles(ctx), ctx.config);
    await ctx.conn.run(`CREATE OR REPLACE TABLE ${ident(ctx.node.name)} AS SELECT * FROM ${read}`);
    return { rows: null, inputs };
  },
};
