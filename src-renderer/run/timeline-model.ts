import type { NodeStatus } from '../../shared/run/events';
import type { RunSnapshot } from './run-reducer';
import { criticalPath, type CriticalPath } from './critical-path';
import { assignLanes } from './timeline-lanes';

/** One node that ran, as a bar: times in ms from the run's start. */
export interface TimelineBar {
  id: string;
  name: string;
  status: NodeStatus;
  cached: boolean;
  start: number;
  end: number;
  /** Still running: its end is now, and grows. */
  running: boolean;
  rows: number | null;
  message: string | null;
  /** On the run's critical path. */
  critical: boolean;
  /** Its lane when packed (one lane per concurrently running node). */
  lane: number;
}

/** A node of the run that has no bar: skipped, cancelled before it started, or still queued. */
export interface TimelineIdle {
  id: string;
  name: string;
  status: NodeStatus;
  message: string | null;
}

export interface TimelineModel {
  /** The time shown, in ms from the run's start (at least 1). */
  span: number;
  /** Ordered by start, then as the run listed them. */
  bars: TimelineBar[];
  idle: TimelineIdle[];
  critical: CriticalPath;
  lanes: number;
  /** Nodes ran but their times are not known (a record written before version 3). */
  untimed: boolean;
}

const NONE: readonly string[] = [];

/**
 * What each node of the run read: the run's own edges (its run_started event or its record says
 * them), else, for a record written before they were kept, the open document's. A document
 * edited since the run (an edge removed, a node rewired) does not move the run's critical path.
 */
export function runInputsOf(nodes: RunSnapshot['nodes'], docNodes: readonly { id: string; inputs: readonly string[] }[]): (id: string) => readonly string[] {
  const fromDoc = new Map(docNodes.map((n) => [n.id, n.inputs]));
  return (id) => nodes[id]?.upstream ?? fromDoc.get(id) ?? NONE;
}

/**
 * The timeline of the run on show (live from its events, or a past run from its record), with
 * the critical path over the plan's edges (`inputsOf`: what the run's event or record says each
 * node read; the open document's edges only for an older record without them). Pure, so it is unit-tested apart from the drawing.
 */
export function timelineModel(run: Pick<RunSnapshot, 'nodes' | 'startedAt' | 'durationMs'>, inputsOf: (id: string) => readonly string[], now: number): TimelineModel {
  const entries = Object.entries(run.nodes);
  const timed = entries.filter(([, n]) => n.startedAt !== null);
  const origin = run.startedAt ?? Math.min(...timed.map(([, n]) => n.startedAt as number), now);
  const bars: TimelineBar[] = [];
  const idle: TimelineIdle[] = [];
  for (const [id, n] of entries) {
    const name = n.name ?? id;
    if (n.startedAt === null) {
      idle.push({ id, name, status: n.status, message: n.message });
      continue;
    }
    const start = Math.max(0, n.startedAt - origin);
    const running = n.status === 'running';
    const endAt = n.finishedAt ?? (running ? now : n.durationMs !== null ? n.startedAt + n.durationMs : now);
    bars.push({ id, name, status: n.status, cached: n.cached, start, end: Math.max(start, endAt - origin), running, rows: n.rows, message: n.message, critical: false, lane: 0 });
  }
  const order = new Map(entries.map(([id], i) => [id, i]));
  bars.sort((a, b) => a.start - b.start || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const inRun = new Set(bars.map((b) => b.id));
  const critical = criticalPath(bars.map((b) => ({ id: b.id, durationMs: b.end - b.start, inputs: inputsOf(b.id).filter((i) => inRun.has(i)) })));
  const onPath = new Set(critical.ids);
  const { lanes, count } = assignLanes(bars);
  for (const b of bars) {
    b.critical = onPath.has(b.id);
    b.lane = lanes.get(b.id) ?? 0;
  }
  const last = Math.max(0, ...bars.map((b) => b.end), run.durationMs ?? 0);
  const untimed = !bars.length && entries.some(([, n]) => n.status === 'done' || n.status === 'failed');
  return { span: Math.max(1, last), bars, idle, critical, lanes: count, untimed };
}

/** Round tick steps for a time axis: 1, 2 or 5 times a power of ten ms, about `most` ticks at most. */
export function timeTicks(span: number, most = 6): { step: number; ticks: number[] } {
  const raw = Math.max(span, 1) / Math.max(1, most);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let t = 0; t <= span + 1e-9; t += step) ticks.push(Math.round(t * 1000) / 1000);
  return { step, ticks };
}

/** An offset from the run's start, as the axis labels it: ms in a run under a second, else seconds to the step's precision. */
export function offsetLabel(ms: number, step: number, span: number): string {
  if (span < 1000) return `${Math.round(ms)} ms`;
  const digits = step % 1000 === 0 ? 0 : step % 100 === 0 ? 1 : 2;
  return `${(ms / 1000).toFixed(digits)} s`;
}
