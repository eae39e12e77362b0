import { dirname, isAbsolute, join, resolve } from 'node:path';
import { PipelineInvalidError, WeirError } from '../../shared/errors';
import { invalidNodesError } from '../../shared/pipeline/issue-place';
import { parsePipelineShape } from '../../shared/pipeline/parse';
import type { RunListing, RunSummary } from '../../shared/api/schemas';
import type { RunEvent } from '../../shared/run/events';
import type { RunRecord } from '../../shared/run/record';
import { getStoredRun, listStoredRuns, pipelineWorkspace, readRegularText, type Engine, type StoredRun } from '../engine';
import { insideWorkspace, toWorkspacePath, workspaceRoot } from './paths';
import { findPipelineFiles } from './workspace';

export interface RunStart {
  root: string;
  path: string;
  params?: Record<string, string | number | boolean>;
  environment?: string;
  select?: string;
  /** A partitioned pipeline's lots to run (docs/lots.md); by default the new, changed and failed ones. */
  partitions?: string[];
  reason?: string;
}

/**
 * Runs in progress, each cancellable by id. The run itself is the engine's `run`, exactly
 * what `weir run` calls; this only maps its events out.
 */
export class RunManager {
  private readonly active = new Map<string, AbortController>();
  /** Publishing in progress (the engine's holdExit): a commit is never cut short, not even by a stopping server. */
  private readonly publishing = new Set<Promise<unknown>>();

  constructor(
    private readonly emit: (payload: { root: string; path: string; event: RunEvent }) => void,
    private readonly engine: Engine,
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
        // Finished means no longer cancellable, even before runPipelineFile's promise settles.
        if (event.type === 'run_finished') this.active.delete(event.runId);
        this.emit({ root, path: req.path, event });
      };
      this.engine
        .run({
          file,
          params: req.params,
          environment: req.environment,
          select: req.select || null,
          ...(req.partitions ? { lots: { partitions: req.partitions } } : {}),
          reason: req.reason || undefined,
          // The cards show every node's rows.
          countViews: true,
          signal: controller.signal,
          onEvent,
          holdExit: (work) => this.hold(work),
        })
        .then((outcome) => {
          this.active.delete(outcome.runId);
          // A partitioned pipeline with no lot to run starts no run: said in words, not as an internal error.
          if (!started) reject(outcome.error ?? (outcome.nothingToRun ? new WeirError('usage', `No lot to run: ${outcome.nothingToRun}`) : new WeirError('internal', 'the run ended before it started')));
        })
        .catch(async (e: unknown) => {
          if (!started) reject(await inWords(e, file, req.path));
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

  /** Resolves once no run is publishing: a stopping shell waits for this before it may leave work behind. */
  async publishSettled(): Promise<void> {
    while (this.publishing.size) await Promise.allSettled([...this.publishing]);
  }

  private hold<T>(work: Promise<T>): Promise<T> {
    this.publishing.add(work);
    const release = () => {
      this.publishing.delete(work);
    };
    work.then(release, release);
    return work;
  }
}

/**
 * A file refused for its nodes, said as the designer says it: the node's kind and name, the
 * field's label and the words (`pipelines/x.weir.json: aggregate "avg", Aggregates #1 › Column:
 * expected the column avg reads`), with the node in details and every issue kept by JSON path.
 * Anything else, or a file that no longer reads, is left as it is.
 */
async function inWords(e: unknown, file: string, shown: string): Promise<unknown> {
  if (!(e instanceof PipelineInvalidError) || !e.issues.some((i) => /^nodes\[\d+\]/.test(i.path))) return e;
  try {
    const { pipeline } = parsePipelineShape(await readRegularText(file), shown);
    const worded = invalidNodesError(pipeline, e.issues, shown);
    return new PipelineInvalidError(shown, e.issues, `${shown}: ${worded.message}`, worded.details);
  } catch {
    return e;
  }
}

function summarize(run: StoredRun): RunSummary {
  const r = run.record;
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
    audited: run.audited,
  };
}

/**
 * Where the runs of the designer's folder are recorded. The engine writes a record under
 * `pipelineWorkspace(file)`: the nearest weir.workspace.json above the pipeline, or the
 * pipeline's own folder when there is none (a folder `pipeline.create` just made one in), or a
 * parent workspace the folder sits in. So History asks that same function for the workspace of
 * every pipeline here (and of the root itself), rather than assuming `<root>/.weir/runs`, and
 * reads each through the engine's run store.
 */
async function recordWorkspaces(root: string): Promise<string[]> {
  // One pipeline per folder is enough; a file name in the root stands for pipelines that were
  // there (their runs stay in History after the file is deleted).
  const perFolder = new Map<string, string>([[root, join(root, 'any.weir.json')]]);
  for (const file of await findPipelineFiles(root)) if (!perFolder.has(dirname(file))) perFolder.set(dirname(file), file);
  const roots = new Set<string>();
  for (const file of perFolder.values()) {
    try {
      roots.add(pipelineWorkspace(file).root);
    } catch {
      // A malformed weir.workspace.json: no run can have recorded under it either.
    }
  }
  return [...roots];
}

/** The record with its pipeline file named as the API names files: relative to the designer's root. */
function fromRoot(root: string, wsRoot: string, r: RunRecord): RunRecord {
  return { ...r, pipeline: { ...r.pipeline, file: toWorkspacePath(root, resolve(wsRoot, r.pipeline.file)) } };
}

const outsideRoot = (file: string) => file === '..' || file.startsWith('../') || isAbsolute(file);

/**
 * The newest `limit` runs of this folder's history, audited or not. A parent workspace also
 * holds runs of pipelines outside this folder: not this folder's history, so the store reads
 * past them. Files that are not readable run records are skipped and named, never fatal.
 */
export async function listRuns(rootIn: string, limit = 100): Promise<RunListing> {
  const root = workspaceRoot(rootIn);
  // The newest `limit` overall are among the newest `limit` of each workspace.
  const perWorkspace = await Promise.all(
    (await recordWorkspaces(root)).map(async (wsRoot) => {
      const mine = (r: RunRecord) => !outsideRoot(fromRoot(root, wsRoot, r).pipeline.file);
      const { runs, skipped } = await listStoredRuns(wsRoot, { limit, accept: mine });
      return {
        runs: runs.map((run) => ({ ...run, record: fromRoot(root, wsRoot, run.record) })),
        skipped: skipped.map((s) => ({ file: toWorkspacePath(root, s.path), reason: s.reason })),
      };
    }),
  );
  return {
    runs: perWorkspace
      .flatMap((w) => w.runs)
      .map(summarize)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .slice(0, limit),
    skipped: perWorkspace.flatMap((w) => w.skipped),
  };
}

/** One run record, by its id or a prefix naming one run, with its pipeline file named from the root. */
export async function getRun(rootIn: string, runId: string): Promise<RunRecord> {
  const root = workspaceRoot(rootIn);
  const found: { wsRoot: string; run: StoredRun }[] = [];
  for (const wsRoot of await recordWorkspaces(root)) {
    const run = await getStoredRun(wsRoot, runId);
    if (run && !outsideRoot(fromRoot(root, wsRoot, run.record).pipeline.file)) found.push({ wsRoot, run });
  }
  const exact = found.filter((f) => f.run.runId === runId);
  const matches = exact.length ? exact : found;
  if (matches.length > 1) throw new WeirError('usage', `"${runId}" matches ${matches.length} runs: give more of the run id`);
  const hit = matches[0];
  if (!hit) throw new WeirError('invalid', `no run record "${runId}" in this workspace`);
  return fromRoot(root, hit.wsRoot, hit.run.record);
}
