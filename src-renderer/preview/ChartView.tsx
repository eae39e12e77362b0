import { useEffect, useMemo, useRef, type JSX } from 'react';
import { CHART_AGGS, CHART_MARKS, MAX_CHART_Y, axisScale, isNumericColumn, type ChartMark, type ChartSpec } from '../../shared/chart/spec';
import type { ChartResult } from '../../shared/chart/results';
import { count, duration } from '../../shared/format';
import { useDoc } from '../document/doc-store';
import { useUi } from '../ui/ui-store';
import { usePreview } from './preview-store';
import { changeChart, forgetChartOnNode, keepChartOnNode, resizeChart, zoomChart } from './chart-actions';
import { useChart } from './chart-store';
import { seriesColor } from './chart-palette';
import { UPlotChart } from './UPlotChart';
import './chart.css';

const MARK_LABELS: Record<ChartMark, string> = { line: 'Line', bar: 'Bar', scatter: 'Scatter', histogram: 'Histogram' };
const NONE = '';

interface Column {
  name: string;
  type: string;
}

/** The columns a field may name, for the mark: x of a line is a number or a time, y a number. */
function choices(columns: readonly Column[], mark: ChartMark, field: 'x' | 'y' | 'group'): Column[] {
  if (field === 'y') return columns.filter((c) => isNumericColumn(c.type));
  if (field === 'x') return mark === 'bar' ? [...columns] : columns.filter((c) => axisScale(c.type) !== 'category');
  return columns.filter((c) => !/^(STRUCT|MAP|UNION|JSON)|\[\]$/.test(c.type));
}

function Controls({ spec, columns }: { spec: ChartSpec; columns: readonly Column[] }): JSX.Element {
  const needsY = spec.mark !== 'histogram';
  const ys = choices(columns, spec.mark, 'y');
  const setMark = (mark: ChartMark) => {
    const x = choices(columns, mark, 'x').some((c) => c.name === spec.x) ? spec.x : (choices(columns, mark, 'x')[0]?.name ?? spec.x);
    changeChart({ mark, x, y: mark === 'histogram' ? [] : spec.y.length || mark === 'bar' ? spec.y : ys.slice(0, 1).map((c) => c.name), agg: mark === 'bar' ? (spec.agg ?? (spec.y.length ? 'avg' : 'count')) : undefined });
  };
  const toggleY = (name: string, on: boolean) => changeChart({ y: on ? [...spec.y, name].slice(0, MAX_CHART_Y) : spec.y.filter((y) => y !== name) });
  return (
    <div className="chart-controls" data-testid="chart-controls">
      <div className="seg" role="radiogroup" aria-label="Chart mark">
        {CHART_MARKS.map((m) => (
          <button key={m} type="button" role="radio" aria-checked={spec.mark === m} className={spec.mark === m ? 'on' : ''} onClick={() => setMark(m)} data-testid={`chart-mark-${m}`}>
            {MARK_LABELS[m]}
          </button>
        ))}
      </div>
      <label>
        x
        <select value={spec.x} onChange={(e) => changeChart({ x: e.target.value })} data-testid="chart-x">
          {choices(columns, spec.mark, 'x').map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {needsY && (
        <fieldset className="chart-ys" data-testid="chart-y">
          <legend>y</legend>
          {ys.map((c) => (
            <label key={c.name} className="chart-y">
              <input type="checkbox" checked={spec.y.includes(c.name)} onChange={(e) => toggleY(c.name, e.target.checked)} disabled={!spec.y.includes(c.name) && spec.y.length >= MAX_CHART_Y} />
              {c.name}
            </label>
          ))}
        </fieldset>
      )}
      {spec.mark === 'bar' && (
        <label>
          of
          <select value={spec.agg ?? (spec.y.length ? 'avg' : 'count')} onChange={(e) => changeChart({ agg: e.target.value as ChartSpec['agg'] })} data-testid="chart-agg">
            {CHART_AGGS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
      )}
      {(['color', 'facet'] as const).map((field) => (
        <label key={field}>
          {field === 'color' ? 'colour' : 'facet'}
          <select value={spec[field] ?? NONE} onChange={(e) => changeChart({ [field]: e.target.value === NONE ? undefined : e.target.value })} data-testid={`chart-${field}`}>
            <option value={NONE}>none</option>
            {choices(columns, spec.mark, 'group').map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      ))}
    </div>
  );
}

interface LegendEntry {
  key: string;
  label: string;
}

/** One legend for every facet: each colour value (and y column) keeps its colour across the small multiples. */
function legendOf(result: ChartResult): LegendEntry[] {
  const entries = new Map<string, LegendEntry>();
  const multiY = new Set(result.facets.flatMap((f) => f.series.map((s) => s.y))).size > 1;
  for (const f of result.facets) {
    for (const s of f.series) {
      const key = JSON.stringify([s.color, s.y]);
      if (entries.has(key)) continue;
      const label = s.color === undefined ? s.y : multiY ? `${s.color ?? 'NULL'} · ${s.y}` : (s.color ?? 'NULL');
      entries.set(key, { key, label });
    }
  }
  return [...entries.values()];
}

/** An x bound as the axis shows it: a local date and time (the axis is in local time) for a time axis, else the number. */
function xLabel(v: number, scale: ChartResult['x']['scale']): string {
  if (scale !== 'time') return String(Number(v.toPrecision(6)));
  const d = new Date(v * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Says the chart is zoomed, into what, and goes back to every row. */
function ZoomNote({ result }: { result: ChartResult }): JSX.Element | null {
  const w = result.window;
  if (!w) return result.mark === 'line' || result.mark === 'scatter' ? <span className="muted small">drag across the plot to zoom</span> : null;
  return (
    <span className="small" data-testid="chart-zoom">
      {result.x.name} from {xLabel(w.lo, result.x.scale)} to {xLabel(w.hi, result.x.scale)}{' '}
      <button type="button" className="link" onClick={() => zoomChart(null)} data-testid="chart-zoom-reset">
        full range
      </button>
    </span>
  );
}

function Caption({ result }: { result: ChartResult }): JSX.Element {
  const notes: string[] = [];
  if (result.capped.series) notes.push('the 12 most frequent colour values');
  if (result.capped.facets) notes.push('the 6 most frequent facets');
  if (result.capped.categories) notes.push('the 30 most frequent categories');
  if (result.capped.sampled) notes.push('a sample of 10,000 rows');
  const how = result.mark === 'line' ? 'each pixel column’s first, last, lowest and highest point' : result.mark === 'histogram' ? 'bins over every row' : result.mark === 'bar' ? 'aggregated over every row' : 'points';
  return (
    <span className="muted small" data-testid="chart-caption">
      {count(result.rows, 'row')} → {count(result.points, 'point')} ({how}){notes.length ? `; ${notes.join(', ')}` : ''} in {duration(result.elapsedMs)}
    </span>
  );
}

/** The plots: one per facet (small multiples share the legend), sized to the panel. */
function Plots({ result }: { result: ChartResult }): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const width = useChart((s) => s.width);
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const observer = new ResizeObserver(() => resizeChart(Math.max(120, el.clientWidth - 8)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const legend = useMemo(() => legendOf(result), [result]);
  const indexes = useMemo(() => {
    const at = new Map(legend.map((e, i) => [e.key, i]));
    return result.facets.map((f) => f.series.map((s) => at.get(JSON.stringify([s.color, s.y])) ?? 0));
  }, [legend, result]);
  const faceted = result.facets.length > 1 || result.facets[0]?.value !== undefined;
  const columns = faceted ? Math.min(result.facets.length, width > 900 ? 3 : 2) : 1;
  const plotWidth = Math.floor(width / columns) - (faceted ? 8 : 0);
  const plotHeight = faceted ? 180 : 260;
  return (
    <div ref={host} className="chart-plots">
      {legend.length > 1 || result.facets[0]?.series[0]?.color !== undefined ? (
        <ul className="chart-legend" data-testid="chart-legend" aria-label="Legend">
          {legend.map((e, i) => (
            <li key={e.key} data-testid="chart-legend-item">
              <span className="chart-swatch" style={{ background: seriesColor(i, theme === 'dark') }} aria-hidden="true" />
              {e.label}
            </li>
          ))}
        </ul>
      ) : null}
      <div className={faceted ? 'chart-facets' : ''} style={faceted ? { gridTemplateColumns: `repeat(${columns}, 1fr)` } : undefined}>
        {result.facets.map((f, i) => (
          <figure key={String(f.value)} className="chart-facet" data-testid="chart-facet">
            {faceted && <figcaption className="mono small">{f.value ?? 'NULL'}</figcaption>}
            <UPlotChart result={result} facet={f} colorIndex={indexes[i]!} width={plotWidth} height={plotHeight} theme={theme} onZoom={zoomChart} />
          </figure>
        ))}
      </div>
    </div>
  );
}

/** The Chart tab: pick a mark and columns; the engine aggregates in DuckDB, uPlot draws. */
export function ChartView(): JSX.Element {
  const nodeId = usePreview((s) => s.nodeId);
  const columns = usePreview((s) => s.result?.columns);
  const spec = useChart((s) => s.spec);
  const result = useChart((s) => s.result);
  const loading = useChart((s) => s.loading);
  const error = useChart((s) => s.error);
  const saved = useDoc((s) => (nodeId ? (s.doc?.layout[nodeId]?.chart ?? null) : null));
  const kept = saved !== null && spec !== null && JSON.stringify(saved) === JSON.stringify(spec);
  if (!columns) return <p className="muted pad">{loading ? 'Drawing…' : 'No rows yet.'}</p>;
  return (
    <div className="chart-view" data-testid="chart-view" aria-busy={loading}>
      <div className="chart-bar">
        {spec ? <Controls spec={spec} columns={columns} /> : null}
        <span className="spacer" />
        {result && result.nodeId === nodeId && <ZoomNote result={result} />}
        {result && <Caption result={result} />}
        {spec && (
          <button type="button" className="btn small" onClick={keepChartOnNode} disabled={kept} data-testid="chart-keep" title="Keep this chart on the node, in the pipeline file's layout: saved with the file, shown to whoever opens it">
            {kept ? 'Kept on node' : 'Keep on node'}
          </button>
        )}
        {saved && (
          <button type="button" className="link" onClick={forgetChartOnNode} data-testid="chart-forget">
            forget
          </button>
        )}
      </div>
      {error ? (
        <div className="run-error pad-x" data-testid="chart-error">
          {error}
        </div>
      ) : result && result.nodeId === nodeId ? (
        <Plots result={result} />
      ) : (
        <p className="muted pad">{loading ? 'Drawing…' : ''}</p>
      )}
    </div>
  );
}
