import { jsonPath } from '../../../shared/errors';
import type { HttpSourceConfig } from '../../../shared/nodes/http-source';
import { nodeKindSpec } from '../../../shared/nodes/registry';
import { secretPolicyProblem } from '../nodes/http-source/secret-policy';
import { allowedDirectories } from '../sandbox/allowed-dirs';
import { checkSinkTarget, containedPath } from '../sandbox/paths';
import { workspaceSourceReads } from '../sandbox/source-reads';
import { guardPipeline, withGuardConnection } from './plan-guard';
import type { PreflightCheck, Problem } from './preflight';

/**
 * The sandbox's part of the checks `weir validate` and `weir run` share (preflight.ts):
 * every SQL field one query or expression reading only its node's inputs (DuckDB's parser),
 * and every file path where a pipeline may read or write it. The rules are sandbox/'s; the
 * checks live with the run's preflight, which lists them.
 */
export const sandboxSql: PreflightCheck = async (ctx) => {
  const issues = await withGuardConnection(ctx.engine.duckdb, allowedDirectories(ctx.workspace, ctx.engine.settings, ctx.engine.env), (conn) =>
    guardPipeline(conn, ctx.pipeline, ctx.guardMemo),
  );
  return issues.map((i): Problem => ({ kind: 'invalid', path: i.path, message: i.message }));
};

/** Paths of file sources and sinks: inside the workspace (symlinks followed), and for sinks a place they may write. */
export const sandboxPaths: PreflightCheck = (ctx) => {
  const problems: Problem[] = [];
  let reads: ReturnType<typeof workspaceSourceReads> | null = null;
  ctx.pipeline.nodes.forEach((node, i) => {
    if (node.kind !== 'file_source' && node.kind !== 'file_sink') return;
    const parsed = nodeKindSpec(node.kind)?.config.safeParse(node.config);
    if (!parsed?.success) return;
    const path = (parsed.data as { path: string }).path;
    const who = `${node.kind} "${node.name}"`;
    try {
      const abs = containedPath(ctx.workspace, path, who);
      if (node.kind === 'file_sink') {
        reads ??= workspaceSourceReads(ctx.workspace);
        checkSinkTarget(ctx.workspace, abs, who, reads, ctx.file ?? '');
      }
    } catch (e) {
      problems.push({ kind: 'invalid', path: jsonPath(['nodes', i, 'config', 'path']), message: (e as Error).message, nodeId: node.id, nodeName: node.name });
    }
  });
  return problems;
};

/** http sources: secrets (`${env:...}`) only through a connection, and only to its origin. */
export const httpSecrets: PreflightCheck = (ctx) => {
  const problems: Problem[] = [];
  ctx.pipeline.nodes.forEach((node, i) => {
    if (node.kind !== 'http_source') return;
    const parsed = nodeKindSpec(node.kind)?.config.safeParse(node.config);
    if (!parsed?.success) return;
    const reason = secretPolicyProblem(parsed.data as HttpSourceConfig);
    if (reason) problems.push({ kind: 'invalid', path: jsonPath(['nodes', i, 'config']), message: `node "${node.name}": ${reason}`, nodeId: node.id, nodeName: node.name });
  });
  return problems;
};
