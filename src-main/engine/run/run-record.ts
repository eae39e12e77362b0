import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import type { RunRecord } from '../../../shared/run/record';
import type { GitInfo } from '../audit/git-info';
import { duckdbVersion } from '../duckdb/instance';
import { WEIR_VERSION } from '../context/version';
import type { LoadedPipeline } from '../pipeline/load';
import type { Workspace } from '../workspace/workspace';
import type { ExecuteResult } from './executor';
import type { ParamValue } from './params';
import { runsDirAt } from '../audit/runs-dir';
import { runRecordText } from '../audit/run-file';

export function buildRunRecord(args: {
  runId: string;
  loaded: LoadedPipeline;
  workspace: Workspace;
  environment: string;
  params: Record<string, ParamValue>;
  selection: string | null;
  result: ExecuteResult;
  git: GitInfo;
  /** Who runs: the engine context's settings (the OS account, and WEIR_USER as a hint beside it). */
  user: string;
  userHint: string | null;
  /** `weir run --reason`. */
  reason: string | null;
  /** A partitioned pipeline's lot this run was for. */
  lot?: { key: string; value: string };
}): RunRecord {
  const { loaded, result, git } = args;
  return {
    format: 'weir.run',
    version: 3,
    runId: args.runId,
    pipeline: {
      name: loaded.pipeline.name,
      file: relative(args.workspace.root, loaded.path).replace(/\\/g, '/'),
      sha256: loaded.sha256,
      gitCommit: git.commit,
      gitDirty: git.dirty,
    },
    environment: args.environment,
    params: args.params,
    selection: args.selection,
    startedAt: result.startedAt.toISOString(),
    finishedAt: result.finishedAt.toISOString(),
    durationMs: result.finishedAt.getTime() - result.startedAt.getTime(),
    status: result.status,
    user: args.user,
    ...(args.lot ? { lot: { key: args.lot.key, value: args.lot.value } } : {}),
    ...(args.userHint ? { userHint: args.userHint } : {}),
    ...(args.reason ? { reason: args.reason } : {}),
    host: hostname(),
    weirVersion: WEIR_VERSION,
    duckdbVersion: duckdbVersion(),
    nodes: result.nodes,
    ...(result.publishing ? { publishing: result.publishing } : {}),
  };
}

export function runsDir(ws: Workspace): string {
  return runsDirAt(ws.root);
}

/** Writes a run record file; `text` when the audit entry already hashed its bytes (run-trail persist). */
export async function writeRunRecord(dir: string, record: RunRecord, text: string = runRecordText(record)): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${record.runId}.json`);
  await writeFile(path, text);
  return path;
}
