import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WeirError } from '../../shared/errors';
import type { RunSummary } from '../../shared/api/schemas';
import type { RunEvent } from '../../shared/run/events';
import type { RunRecord } from '../../shared/run/record';
import { runPipelineFile } from '../engine/run/run-pipeline';
import type { SecretLookup } from '../engine/workspace/workspace';
import { insideWorkspace, workspaceRoot } from './paths';

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

const runsFolder = (root: string) => join(root, '.weir', 'runs');

async function readRecord(file: string): Promise<RunRecord | null> {
  try {
    const r = JSON.parse(await readFile(file, 'utf8')) as RunRecord;
    return r && r.format === 'weir.run' && typeof r.runId === 'string' && Array.isArray(r.nodes) ? r : null;
  } catch {
    return null; // a half-written or foreign file is not a run
  }
}

export async function listRuns(rootIn: string, limit = 100): Promise<RunSummary[]> {
  const dir = runsFolder(workspaceRoot(rootIn));
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));
  const records = (await Promise.all(files.map((f) => readRecord(join(dir, f))))).filter((r): r is RunRecord => r !== null);
  return records
    .map(summarize)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .slice(0, limit);
}

export async function getRun(rootIn: string, runId: string): Promise<RunRecord> {
  const record = await readRecord(join(runsFolder(workspaceRoot(rootIn)), `${runId}.json`));
  if (!record) throw new WeirError('invalid', `no run record "${runId}" in this workspace`);
  return record;
}
