import { count, duration } from '../../shared/format';
import type { NodeStatus, RunEvent } from '../../shared/run/events';
import type { CheckResult, NodeRecord, RunRecord } from '../../shared/run/record';

/** One node's state in the run on show. */
export interface NodeRunState {
  /** The node's name when the run or its record said it (a record may be of an older document). */
  name: string | null;
  status: NodeStatus;
  rows: number | null;
  durationMs: number | null;
  /** Why it failed, was skipped, or its last warning. */
  message: string | null;
  /** The SQL line (and column) a failure points at, when DuckDB said. */
  line: number | null;
  column: number | null;
  cached: boolean;
  /** When it started (epoch ms), for the running clock on the card and the timeline. */
  startedAt: number | null;
  /** When it finished, failed or was interrupted (epoch ms), for the timeline. */
  finishedAt: number | null;
  /** A check node's rule results, from the run record once the run has finished. */
  checks: CheckResult[] | null;
  /** The nodes it read in this run (its plan's edges), when the run or its record said. */
  upstream: string[] | null;
}

export type RunPhase = 'idle' | 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type LogLevel = 'info' | 'warn' | 'error';

/** A run log line: when, how serious, which node, what happened. */
export interface LogEntry {
  seq: number;
  /** Epoch ms. */
  at: number;
  level: LogLevel;
  nodeId: string | null;
  node: string | null;
  message: string;
  type: RunEvent['type'];
}

export interface RunSnapshot {
  runId: string | null;
  /** The pipeline file the run is of; events of other files are ignored. */
  path: string | null;
  phase: RunPhase;
  nodes: Record<string, NodeRunState>;
  log: LogEntry[];
  /** Epoch ms of run_started. */
  startedAt: number | null;
  durationMs: number | null;
  recordPath: string | null;
  /** Why the run could not start. */
  error: string | null;
  /** The run shown came from history, not from a run of this session. */
  fromHistory: boolean;
}

export const LOG_LIMIT = 2000;

export const idleRun = (): RunSnapshot => ({
  runId: null,
  path: null,
  phase: 'idle',
  nodes: {},
  log: [],
  startedAt: null,
  durationMs: null,
  recordPath: null,
  error: null,
  fromHistory: false,
});

export const blankNode = (status: NodeStatus, name: string | null = null): NodeRunState => ({ name, status, rows: null, durationMs: null, message: null, line: null, column: null, cached: false, startedAt: null, finishedAt: null, checks: null, upstream: null });

const parseAt = (at: string | undefined, fallback: number) => {
  const t = at ? Date.parse(at) : NaN;
  return Number.isFinite(t) ? t : fallback;
};

/**
 * The engine reports the node a cancel interrupted as failed with "cancelled", and the nodes
 * after it as skipped because the "run cancelled"; the record calls both cancelled, and so
 * do the cards: a cancel is the user's doing, not an error.
 */
function isCancel(e: RunEvent): boolean {
  return (e.type === 'node_failed' && e.error === 'cancelled') || (e.type === 'node_skipped' && e.reason === 'run cancelled');
}

/**
 * An engine error on its node's own log line, without the `node "x", line n: ` it starts with:
 * the line names the node and the line already ("failed at line 1: node "x", line 1: ...").
 */
function withoutOwnNode(error: string, name: string): string {
  const own = `node ${JSON.stringify(name)}`;
  if (!error.startsWith(own)) return error;
  const rest = error.slice(own.length).replace(/^, line \d+/, '');
  return rest.startsWith(': ') ? rest.slice(2) : error;
}

/** The log line an event makes, or null for events that only move a card (row ticks). */
function logLine(e: RunEvent): Omit<LogEntry, 'seq' | 'at'> | null {
  const node = 'name' in e ? e.name : null;
  const nodeId = 'nodeId' in e ? e.nodeId : null;
  const base = { type: e.type, node, nodeId };
  switch (e.type) {
    case 'run_started':
      return { ...base, level: 'info', message: `run ${e.runId} started: ${count(e.nodes.length, 'node')}` };
    case 'node_started':
      return { ...base, level: 'info', message: 'started' };
    case 'node_rows':
      return null;
    case 'node_finished':
      return { ...base, level: 'info', message: `done: ${e.rows === null ? 'no row count' : count(e.rows, 'row')} in ${duration(e.durationMs)}${e.cached ? ' (from the cache)' : ''}` };
    case 'node_failed':
      if (isCancel(e)) return { ...base, level: 'warn', message: 'cancelled while running' };
      return { ...base, level: 'error', message: `failed${e.line ? ` at line ${e.line}` : ''}: ${withoutOwnNode(e.error, e.name)}` };
    case 'node_skipped':
      return { ...base, level: 'warn', message: isCancel(e) ? 'not run: the run was cancelled' : `skipped: ${e.reason}` };
    case 'node_warning':
      return { ...base, level: 'warn', message: e.message };
    case 'node_published':
      return { ...base, level: 'info', message: `published ${e.target}` };
    case 'run_finished':
      return { ...base, level: e.status === 'succeeded' ? 'info' : e.status === 'failed' ? 'error' : 'warn', message: `run ${e.status} in ${duration(e.durationMs)}${e.recordPath ? ` · record ${e.recordPath}` : ''}` };
  }
}

/**
 * How a run event changes what is shown: pure, so that it is unit-tested and the store is a
 * thin wrapper. Events of another file or another run are ignored; a finished run turns
 * what never ran into cancelled (when cancelled) or skipped.
 */
export function reduceRun(s: RunSnapshot, path: string, e: RunEvent, now = Date.now()): RunSnapshot {
  if (s.path !== path || s.fromHistory) return s;
  if (s.runId && e.runId !== s.runId) return s;
  // A finished run takes no more events (a late tick after run_finished).
  if (s.phase === 'succeeded' || s.phase === 'failed' || s.phase === 'cancelled') return s;
  const nodes = { ...s.nodes };
  const patch = (id: string, p: Partial<NodeRunState>) => (nodes[id] = { ...(nodes[id] ?? blankNode('queued')), ...p });
  let phase: RunPhase = s.phase;
  let { durationMs, startedAt, recordPath } = s;
  switch (e.type) {
    case 'run_started':
      for (const n of e.nodes) nodes[n.id] = { ...blankNode('queued', n.name), upstream: n.inputs ?? null };
      phase = 'running';
      startedAt = parseAt(e.at, now);
      break;
    case 'node_started':
      patch(e.nodeId, { status: 'running', startedAt: parseAt(e.at, now) });
      break;
    case 'node_rows':
      // A tick after the node finished must not undo its final count.
      if (nodes[e.nodeId]?.status !== 'done') patch(e.nodeId, { rows: e.rows });
      break;
    case 'node_finished':
      patch(e.nodeId, { status: 'done', rows: e.rows, durationMs: e.durationMs, cached: e.cached, finishedAt: parseAt(e.at, now) });
      break;
    case 'node_failed':
      if (isCancel(e)) {
        patch(e.nodeId, { status: 'cancelled', message: 'cancelled while running', durationMs: e.durationMs, finishedAt: parseAt(e.at, now) });
        break;
      }
      patch(e.nodeId, { status: 'failed', message: e.error, line: e.line ?? null, column: (e as { column?: number }).column ?? null, durationMs: e.durationMs, finishedAt: parseAt(e.at, now) });
      break;
    case 'node_skipped':
      patch(e.nodeId, { status: isCancel(e) ? 'cancelled' : 'skipped', message: e.reason });
      break;
    case 'node_warning':
      patch(e.nodeId, { message: e.message });
      break;
    case 'node_published':
      break;
    case 'run_finished':
      phase = e.status;
      durationMs = e.durationMs;
      recordPath = e.recordPath;
      for (const [id, n] of Object.entries(nodes)) {
        if (n.status === 'queued' || n.status === 'running') {
          nodes[id] = { ...n, status: e.status === 'cancelled' ? 'cancelled' : 'skipped', message: n.message ?? (e.status === 'cancelled' ? 'the run was cancelled' : 'not run') };
        }
      }
      break;
  }
  const line = logLine(e);
  const last = s.log.at(-1);
  // Events without a time of their own (warnings, skips) take the last one's, so the log reads in order.
  const time = 'at' in e ? parseAt(e.at, now) : (last?.at ?? startedAt ?? now);
  const log = line ? [...s.log, { ...line, seq: (last?.seq ?? 0) + 1, at: time }].slice(-LOG_LIMIT) : s.log;
  return { ...s, runId: s.runId ?? e.runId, nodes, phase, durationMs, startedAt, recordPath, log };
}

/** A run starts being asked for: nothing is known yet. */
export const beginRun = (path: string): RunSnapshot => ({ ...idleRun(), path, phase: 'starting' });

/**
 * The finished run's record adds what events do not carry: each check node's rule
 * results, and the final status and rows of every node (a late event cannot be missed).
 */
export function withRecord(s: RunSnapshot, record: RunRecord): RunSnapshot {
  if (s.runId !== record.runId) return s;
  const nodes = { ...s.nodes };
  for (const n of record.nodes) {
    const cur = nodes[n.id] ?? blankNode(n.status, n.name);
    nodes[n.id] = {
      ...cur,
      ...nodeTimes(n),
      status: n.status,
      rows: n.rows ?? cur.rows,
      durationMs: n.durationMs,
      cached: n.cached,
      message: n.error ?? cur.message,
      checks: n.checks ?? null,
      upstream: n.upstream ?? cur.upstream,
    };
  }
  return { ...s, nodes, phase: record.status, durationMs: record.durationMs };
}

/** A record's node times (version 3), where it has them; events' times stay otherwise. */
function nodeTimes(n: NodeRecord): Partial<Pick<NodeRunState, 'startedAt' | 'finishedAt'>> {
  const started = n.startedAt ? Date.parse(n.startedAt) : NaN;
  const finished = n.finishedAt ? Date.parse(n.finishedAt) : NaN;
  return { ...(Number.isFinite(started) ? { startedAt: started } : {}), ...(Number.isFinite(finished) ? { finishedAt: finished } : {}) };
}

/** A past run from its record, shown on the cards as it ended. */
export function fromRecord(path: string, record: RunRecord): RunSnapshot {
  const nodes: Record<string, NodeRunState> = {};
  for (const n of record.nodes) {
    nodes[n.id] = { ...blankNode(n.status, n.name), ...nodeTimes(n), rows: n.rows, durationMs: n.durationMs, cached: n.cached, message: n.error ?? null, checks: n.checks ?? null, upstream: n.upstream ?? null };
  }
  return {
    ...idleRun(),
    runId: record.runId,
    path,
    phase: record.status,
    nodes,
    startedAt: Date.parse(record.startedAt),
    durationMs: record.durationMs,
    fromHistory: true,
  };
}

/** Counts of rule results for a check node's badge. */
export interface CheckTally {
  passed: number;
  failed: number;
  warned: number;
  total: number;
  /** The badge's colour: any failed rule is bad, else any warned rule is a warning. */
  state: 'bad' | 'warn' | 'good';
}

export function checkTally(checks: CheckResult[] | null): CheckTally | null {
  if (!checks) return null;
  let passed = 0;
  let failed = 0;
  let warned = 0;
  for (const c of checks) {
    if (c.passed) passed++;
    else if (c.severity === 'warn') warned++;
    else failed++;
  }
  return { passed, failed, warned, total: checks.length, state: failed ? 'bad' : warned ? 'warn' : 'good' };
}
