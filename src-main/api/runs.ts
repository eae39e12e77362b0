import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { WeirError } from '../../shared/errors';
import type { RunSummary } from '../../shared/api/schemas';
import type { RunEvent } from '../../shared/run/events';
import type { RunRecord } from '../../shared/run/record';
import { pipelineWorkspace, runPipelineFile } from '../engine/run/run-pipeline';
import { runsDir } from '../engine/run/run-record';
import type { SecretLookup } from '../engine/workspace/workspace';
import { insideWorkspace, toWorkspacePath, workspaceRoot } from './paths';
import { findPipelineFiles } from './workspace';

export interface RunStart {
  root: string;
  path: string;
  params?: Record<string, string | number | boolean>;
  environment?: string;
  select?: string;
}

/**
 * Runs in progress, each cancellable by id. The run itself is the engine's
 * `runPipelineFile`, exactly what `weir run` calls; this only maps its events out.
 */
export class RunManager {
  private readonly active = new Map<string, AbortController>();

  constructor(
    private readonly emit: (payload: { root: string; path: string; event: RunEvent }) => void,
    private readonly secrets: SecretLookup,
  ) {}

  /** Resolves with the run id once the run has started; rejects when the file cannot run at all. */
  start(req: RunStart): Promise<{ runId: string }> {
    const root = workspaceRoot(req.root);
    const file = insideWorkspace(root, req.path);
    const controller = new AbortController();
    return new Promise((resolve, reject) => {
      let started = false;
      const onEvent = (event: RunEvent) => {
        if (event.type === 'run_started' && !started) {
          started = true;
          this.active.set(event.runId, controller);
          resolve({ runId: event.runId });
        }
        this.emit({ root, path: req.path, event });
      };
      runPipelineFile({
        file,
        params: req.params,
        environment: req.environment,
        select: req.select || null,
        signal: controller.signal,
        secrets: this.secrets,
        onEvent,
      })
        .then((outcome) => {
          this.active.delete(outcome.runId);
          if (!started) reject(outcome.error ?? new WeirError('internal', 'the run ended before it started'));
        })
        .catch((e: unknown) => {
          if (!started) reject(e);
          // After the start, failures arrive as node_failed / run_finished events.
        });
    });
  }

  cancel(runId: string): boolean {
    const c = this.active.get(runId);
    if (!c) return false;
    c.abort();
    return true;
  }

  cancelAll(): void {
    for (const c of this.active.values()) c.abort();
  }
}

function summarize(r: RunRecord): RunSummary {
  return {
    runId: r.runId,
    pipeline: r.pipeline.name,
    file: r.pipeline.file,
    status: r.status,
    environment: r.environment,
    startedAt: r.startedAt,
    durationMs: r.durationMs,
    user: r.user,
    nodes: r.nodes.length,
    failedNodes: r.nodes.filter((n) => n.status === 'failed').length,
  };
}

/**
 * Where the runs of the designer's folder are recorded. The engine writes a record to
 * `runsDir(pipelineWorkspace(file))`: the nearest weir.workspace.json above the pipeline, or
 * the pipeline's own folder when there is none (a folder `pipeline.create` just made one in),
 * or a parent workspace the folder sits in. So History asks that same function for the folder
 * of every pipeline here (and for the root itself), rather than assuming `<root>/.weir/runs`.
 */
async function recordFolders(root: string): Promise<{ dir: string; wsRoot: string }[]> {
  // One pipeline per folder is enough; a file name in the root stands for pipelines that were
  // there (their runs stay in History after the file is deleted).
  const perFolder = new Map<string, string>([[root, join(root, 'any.weir.json')]]);
  for (const file of await findPipelineFiles(root)) if (!perFolder.has(dirname(file))) perFolder.set(dirname(file), file);
  const byDir = new Map<string, string>();
  for (const file of perFolder.values()) {
    try {
      const ws = pipelineWorkspace(file);
      byDir.set(runsDir(ws), ws.root);
    } catch {
      // A malformed weir.workspace.json: no run can have recorded under it either.
    }
  }
  return [...byDir].map(([dir, wsRoot]) => ({ dir, wsRoot }));
}

async function readRecord(file: string): Promise<RunRecord | null> {
  try {
    const r = JSON.parse(await readFile(file, 'utf8')) as RunRecord;
    return r && r.format === 'weir.run' && typeof r.runId === 'string' && Array.isArray(r.nodes) ? r : null;
  } catch {
    return null; // a half-written or foreign file is not a run
  }
}

/** The record with its pipeline file named as the API names files: relative to the designer's root. */
function fromRoot(root: string, wsRoot: string, r: RunRecord): RunRecord {
  return { ...r, pipeline: { ...r.pipeline, file: toWorkspacePath(root, resolve(wsRoot, r.pipeline.file)) } };
}

const outsideRoot = (file: string) => file === '..' || file.startsWith('../') || isAbsolute(file);

/**
 * The newest `limit` records of this folder's history in one record folder. Run ids (the file
 * names) start with a sortable timestamp, so names are read newest first and only as many as
 * needed; more are read only when some are skipped (unreadable, or a parent workspace's run of
 * a pipeline outside this folder).
 */
async function newestRecords(root: string, dir: string, wsRoot: string, limit: number): Promise<RunRecord[]> {
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .reverse();
  const records: RunRecord[] = [];
  for (let next = 0; next < names.length && records.length < limit; ) {
    const batch = names.slice(next, next + limit - records.length);
    next += batch.length;
    for (const r of await Promise.all(batch.map((f) => readRecord(join(dir, f))))) {
      const record = r && fromRoot(root, wsRoot, r);
      // A parent workspace also holds runs of pipelines outside this folder: not this folder's history.
      if (record && !outsideRoot(record.pipeline.file)) records.push(record);
    }
  }
  return records;
}

export async function listRuns(rootIn: string, limit = 100): Promise<RunSummary[]> {
  const root = workspaceRoot(rootIn);
  // The newest `limit` overall are among the newest `limit` of each folder.
  const perFolder = await Promise.all((await recordFolders(root)).map(({ dir, wsRoot }) => newestRecords(root, dir, wsRoot, limit)));
  return perFolder
    .flat()
    .map(summarize)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .slice(0, limit);
}

export async function getRun(rootIn: string, runId: string): Promise<RunRecord> {
  const root = workspaceRoot(rootIn);
  for (const { dir, wsRoot } of await recordFolders(root)) {
    const record = await readRecord(join(dir, `${runId}.json`));
    if (record) return fromRoot(root, wsRoot, record);
  }
  throw new WeirError('invalid', `no run record "${runId}" in this workspace`);
}
