import { isAbsolute, relative, sep } from 'node:path';
import { z } from 'zod';
import type { RunEvent } from '../../../shared/run/events';
import { insideWorkspace } from '../../api/paths';
import { pipelineWorkspace } from '../../engine';
import { ToolError, type Door } from '../door/door';
import { defineTool } from './define';
import { environmentArg, paramsArg, pathArg } from './common';

/** Why a run is refused before anything is asked of the service; null when it may go ahead. */
export function runRefusal(allowRun: boolean, confirm: boolean | undefined): string | null {
  if (!allowRun) {
    return 'not run: weir mcp was started without --allow-run, so runs are off here (a run publishes its sinks: files, lake objects, PostgreSQL tables). Ask the user to restart it with --allow-run if they want an assistant to run pipelines.';
  }
  if (confirm !== true) {
    return 'not run: a run publishes its sinks (files, lake objects, PostgreSQL tables) and writes a run record to the audit trail. Ask the user first, then call run again with confirm: true.';
  }
  return null;
}

/**
 * A protected environment (production, `protected: true` in weir.workspace.json) is a person's
 * decision, which the designer asks for in its own dialog and `weir run` at the terminal: an
 * assistant cannot give it, so such a run is refused here whatever the flags.
 */
function protectedEnvironment(door: Door, path: string, environment: string | undefined): string | null {
  const ws = pipelineWorkspace(insideWorkspace(door.root, path));
  const name = environment ?? ws.file.default_environment;
  return ws.file.environments[name]?.protected ? name : null;
}

interface NodeOutcome {
  name: string;
  status: 'done' | 'failed' | 'skipped' | 'cancelled';
  rows?: number | null;
  cached?: boolean;
  durationMs?: number;
  error?: string;
  reason?: string;
  warnings?: string[];
  published?: string;
}

/** The run's outcome per node, from its events (what the designer's run log shows). */
export function summarizeRun(events: readonly RunEvent[]): NodeOutcome[] {
  const byId = new Map<string, NodeOutcome>();
  const of = (id: string, name: string) => {
    let n = byId.get(id);
    if (!n) byId.set(id, (n = { name, status: 'cancelled' }));
    return n;
  };
  for (const e of events) {
    if (e.type === 'run_started') for (const n of e.nodes) of(n.id, n.name);
    else if (e.type === 'node_finished') Object.assign(of(e.nodeId, e.name), { status: 'done', rows: e.rows, cached: e.cached, durationMs: e.durationMs });
    else if (e.type === 'node_failed') Object.assign(of(e.nodeId, e.name), { status: 'failed', error: e.error, durationMs: e.durationMs });
    else if (e.type === 'node_skipped') Object.assign(of(e.nodeId, e.name), { status: 'skipped', reason: e.reason });
    else if (e.type === 'node_warning') (of(e.nodeId, e.name).warnings ??= []).push(e.message);
    else if (e.type === 'node_published') of(e.nodeId, e.name).published = e.target;
  }
  return [...byId.values()];
}

export const run = defineTool({
  name: 'run',
  title: 'Run a pipeline',
  description:
    'Runs the saved pipeline file (or a selection of it) as `weir run` does: publishes its sinks all-or-nothing and records the run in the audit trail. ' +
    'Only when weir mcp was started with --allow-run, and only with confirm: true after the user agreed; never against a protected environment. Answers when the run has finished.',
  input: {
    path: pathArg,
    confirm: z.boolean().optional().describe('true: the user has agreed to this run'),
    select: z.string().max(2000).optional().describe("dbt's graph operators: name, +name, name+; sinks publish only when selected"),
    environment: environmentArg,
    params: paramsArg,
    reason: z.string().max(1000).optional().describe('Why the run is made: kept in its run record'),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async run({ path, confirm, select, environment, params, reason }, { door, allowRun, signal, progress }) {
    const refused = runRefusal(allowRun, confirm);
    if (refused) throw new ToolError(refused);
    // The path through the service's check first: nothing below looks at a path it has not passed.
    await door.call('pipeline.read', { root: door.root, path });
    const prot = protectedEnvironment(door, path, environment);
    if (prot) throw new ToolError(`not run: "${prot}" is a protected environment (weir.workspace.json); a run against it is started by a person, from the designer or with weir run`);
    const { runId } = await door.call('pipeline.run', {
      root: door.root,
      path,
      select,
      environment,
      params,
      // The audit trail says the run came through an assistant's door.
      reason: reason ? `weir mcp: ${reason}` : 'weir mcp',
    });
    const cancel = () => void door.call('run.cancel', { runId }).catch(() => undefined);
    signal.addEventListener('abort', cancel, { once: true });
    let total = 0;
    let done = 0;
    try {
      const { events, finished } = await door.runs.finished(runId, (e) => {
        if (e.type === 'run_started') total = e.nodes.length;
        if (e.type === 'node_finished' || e.type === 'node_failed' || e.type === 'node_skipped') void progress(++done, total, `${e.name}: ${e.type.slice(5)}`);
      });
      const record = finished.recordPath === null ? null : relative(door.root, finished.recordPath);
      const inside = record !== null && !record.startsWith('..') && !isAbsolute(record);
      return {
        runId,
        status: finished.status,
        durationMs: finished.durationMs,
        // The run record, by its path in the workspace (a parent workspace's records are not named).
        record: inside ? record.split(sep).join('/') : null,
        nodes: summarizeRun(events),
      };
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  },
});
