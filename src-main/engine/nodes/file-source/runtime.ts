import { resolve } from 'node:path';
import type { FileSourceConfig } from '../../../../shared/nodes/file-source';
import { WeirError } from '../../../../shared/errors';
import { queryRows } from '../../duckdb/session';
import { ident, literal } from '../../duckdb/sql';
import { fileSha256 } from '../../storage/file-hash';
import type { InputObject } from '../../../../shared/run/record';
import type { NodeRuntime, RunContext } from '../types';
import { readFunction } from './read-function';

function absolutePattern(root: string, path: string): string {
  return resolve(root, path).replace(/\\/g, '/');
}

async function matchedFiles(ctx: RunContext<FileSourceConfig>): Promise<string[]> {
  const pattern = absolutePattern(ctx.workspace.root, ctx.config.path);
  const rows = await queryRows(ctx.conn, `SELECT file FROM glob(${literal(pattern)}) ORDER BY file`);
  const files = rows.map((r) => String(r.file));
  if (!files.length) {
    throw new WeirError('node', `no file matches "${ctx.config.path}" in ${ctx.workspace.root}`);
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
  compile({ node, config, workspace }) {
    const read = readFunction(absolutePattern(workspace.root, config.path), config);
    return { relation: 'table', statements: [`CREATE OR REPLACE TABLE ${ident(node.name)} AS SELECT * FROM ${read}`] };
  },
  previewStatements({ node, config, workspace }) {
    const read = readFunction(absolutePattern(workspace.root, config.path), config);
    return [`CREATE OR REPLACE VIEW ${ident(node.name)} AS SELECT * FROM ${read}`];
  },
  async fingerprint(ctx) {
    const inputs = await describeInputs(ctx);
    return { fingerprint: inputs.map((i) => `${i.uri} ${i.sha256}`).join('\n'), inputs };
  },
  async run(ctx) {
    const inputs = await describeInputs(ctx);
    for (const s of this.compile(ctx).statements) await ctx.conn.run(s);
    return { rows: null, inputs };
  },
};
