import { useEffect, useMemo, useState, type JSX } from 'react';
import { count, duration } from '../../shared/format';
import { useDoc } from '../document/doc-store';
import { isRunning, useRun } from './run-store';
import { offsetLabel, runInputsOf, timeTicks, timelineModel, type TimelineBar } from './timeline-model';
import './timeline.css';

type Layout = 'nodes' | 'lanes';

function selectNode(nodeId: string): void {
  if (useDoc.getState().byId.has(nodeId)) useDoc.getState().setSelection([nodeId]);
}

/** The bar's tooltip: what a person asks of it (status, cached, when, how long, rows, why). */
function barTitle(b: TimelineBar, step: number, span: number): string {
  const parts = [b.name, b.running ? 'running' : b.status];
  if (b.cached) parts.push('cached (from the node cache, not computed)');
  parts.push(`${duration(b.end - b.start)} from +${offsetLabel(b.start, step, span)}`);
  if (b.rows !== null) parts.push(count(b.rows, 'row'));
  if (b.critical) parts.push('on the critical path');
  if (b.status === 'failed' && b.message) parts.push(b.message);
  return parts.join(' · ');
}

function Bar({ b, span, step, selected, label }: { b: TimelineBar; span: number; step: number; selected: boolean; label: boolean }): JSX.Element {
  const cls = ['tl-bar', `st-${b.status}`, b.cached ? 'cached' : '', b.critical ? 'critical' : '', b.running ? 'running' : '', selected ? 'selected' : ''].filter(Boolean).join(' ');
  return (
    <button
      type="button"
      className={cls}
      style={{ left: `${(b.start / span) * 100}%`, width: `${((b.end - b.start) / span) * 100}%` }}
      title={barTitle(b, step, span)}
      onClick={() => selectNode(b.id)}
      data-testid="timeline-bar"
      data-node={b.name}
      data-status={b.status}
      data-cached={b.cached}
      data-critical={b.critical}
      aria-label={barTitle(b, step, span)}
    >
      {label && <span className="tl-bar-name">{b.name}</span>}
    </button>
  );
}

/**
 * The run timeline (issue #20): a Gantt of the run on show, live from its events or a past
 * run from its record. One row per node ordered by start, or packed lanes (one per node
 * running at the same time); the critical path outlined, cached nodes hatched, failed ones
 * red. A click on a bar selects its node on the canvas.
 */
export function RunTimeline(): JSX.Element {
  const nodes = useRun((s) => s.nodes);
  const startedAt = useRun((s) => s.startedAt);
  const durationMs = useRun((s) => s.durationMs);
  const running = useRun((s) => isRunning(s.phase));
  const doc = useDoc((s) => s.doc);
  const selection = useDoc((s) => s.selection);
  const [layout, setLayout] = useState<Layout>('nodes');
  const [now, setNow] = useState(() => Date.now());
  // A running bar grows: ticks only while a run is in progress.
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [running]);
  const model = useMemo(() => {
    return timelineModel({ nodes, startedAt, durationMs }, runInputsOf(nodes, doc?.nodes ?? []), running ? now : Date.now());
  }, [nodes, startedAt, durationMs, doc?.nodes, running, now]);
  const picked = new Set(selection);
  const { step, ticks } = timeTicks(model.span);
  if (model.untimed) {
    return (
      <p className="muted pad" data-testid="timeline-untimed">
        This run's record was written before Weir kept when each node started (run record version 2 or older): no timeline. See History for its nodes and durations.
      </p>
    );
  }
  if (!model.bars.length && !model.idle.length) return <p className="muted pad">Run the pipeline to see its timeline here.</p>;
  const rows: { key: string; label: string; bars: TimelineBar[] }[] =
    layout === 'nodes'
      ? model.bars.map((b) => ({ key: b.id, label: b.name, bars: [b] }))
      : Array.from({ length: model.lanes }, (_, i) => ({ key: `lane-${i}`, label: `lane ${i + 1}`, bars: model.bars.filter((b) => b.lane === i) }));
  return (
    <div className="timeline" data-testid="run-timeline" data-layout={layout}>
      <div className="log-tools tl-tools">
        <div className="seg" role="tablist" aria-label="Timeline layout">
          <button type="button" role="tab" aria-selected={layout === 'nodes'} className={layout === 'nodes' ? 'on' : ''} onClick={() => setLayout('nodes')}>
            One row per node
          </button>
          <button type="button" role="tab" aria-selected={layout === 'lanes'} className={layout === 'lanes' ? 'on' : ''} onClick={() => setLayout('lanes')} data-testid="timeline-lanes">
            Lanes <span className="muted">{model.lanes}</span>
          </button>
        </div>
        <span className="tl-legend">
          <span className="tl-key critical" /> critical path{' '}
          <span className="muted" data-testid="timeline-critical">
            {model.critical.ids.length ? `${count(model.critical.ids.length, 'node')}, ${duration(model.critical.durationMs)}` : 'none'}
          </span>
          <span className="tl-key cached" /> cached
          <span className="tl-key st-failed" /> failed
        </span>
      </div>
      <div className="tl-body">
        <div className="tl-row tl-axis" aria-hidden="true">
          <span className="tl-label" />
          <div className="tl-track">
            {ticks.map((t) => (
              <span key={t} className="tl-tick" style={{ left: `${(t / model.span) * 100}%` }}>
                {offsetLabel(t, step, model.span)}
              </span>
            ))}
          </div>
        </div>
        {rows.map((r) => (
          <div className="tl-row" key={r.key} data-testid="timeline-row">
            <span className="tl-label mono" title={r.label}>
              {r.label}
            </span>
            <div className="tl-track">
              {ticks.map((t) => (
                <span key={t} className="tl-grid" style={{ left: `${(t / model.span) * 100}%` }} />
              ))}
              {r.bars.map((b) => (
                <Bar key={b.id} b={b} span={model.span} step={step} selected={picked.has(b.id)} label={layout === 'lanes'} />
              ))}
            </div>
          </div>
        ))}
        {model.idle.map((n) => (
          <div className="tl-row tl-idle" key={n.id} data-testid="timeline-idle" data-node={n.name} data-status={n.status}>
            <span className="tl-label mono" title={n.name}>
              {n.name}
            </span>
            <span className="tl-idle-text muted" title={n.message ?? undefined}>
              {n.status === 'queued' ? 'queued' : n.status === 'cancelled' ? 'not run: cancelled' : `not run${n.message ? `: ${n.message}` : ''}`}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}
