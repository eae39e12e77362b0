import { useEffect, useRef, type JSX } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartFacet, ChartResult } from '../../shared/chart/results';
import type { ChartWindow } from '../../shared/chart/spec';
import { seriesColor, themeColors } from './chart-palette';

/** What one plot draws: the answer's mark and axes, one facet of it, and the series' colour indexes. */
interface Props {
  result: ChartResult;
  facet: ChartFacet;
  /** The index into the legend of each series of this facet (the same colour in every facet). */
  colorIndex: number[];
  width: number;
  height: number;
  theme: string;
  /** A drag across a line or scatter plot: the x window to draw in finer detail. */
  onZoom?: (zoom: ChartWindow) => void;
}

const seriesLabel = (y: string, color: string | null | undefined, multiY: boolean) => (color === undefined ? y : multiY ? `${color ?? 'NULL'} · ${y}` : (color ?? 'NULL'));

/**
 * Bars of several series side by side: each series' x shifted within its category, so one
 * category holds a group of bars (uPlot's bar paths size a bar by the x spacing).
 */
function barData(facet: ChartFacet, categories: number): uPlot.AlignedData {
  const n = Math.max(1, facet.series.length);
  const w = 0.8 / n;
  const tables = facet.series.map((s, k): uPlot.AlignedData => {
    const shift = n === 1 ? 0 : (k - (n - 1) / 2) * w;
    return [s.x.map((x) => x + shift), s.values];
  });
  if (!tables.length) return [Array.from({ length: categories }, (_, i) => i)];
  return tables.length === 1 ? tables[0]! : uPlot.join(tables);
}

function options(p: Props): uPlot.Options {
  const { result, facet } = p;
  const t = themeColors(p.theme === 'dark');
  const multiY = new Set(facet.series.map((s) => s.y)).size > 1;
  const banded = result.mark === 'bar' || result.mark === 'histogram';
  const categories = result.categories ?? [];
  const n = Math.max(1, facet.series.length);
  const axis: uPlot.Axis = { stroke: t.text, grid: { stroke: t.grid, width: 1 }, ticks: { stroke: t.grid, width: 1 }, font: '11px system-ui, sans-serif' };
  const xAxis: uPlot.Axis = banded
    ? {
        ...axis,
        splits: () => categories.map((_, i) => i),
        values: (_u, splits) => splits.map((v) => categories[v] ?? ''),
        grid: { show: false },
      }
    : axis;
  const zoom = result.window;
  const onZoom = p.onZoom;
  return {
    width: p.width,
    height: p.height,
    legend: { show: false },
    // A drag selects an x span; the engine draws it again from the rows inside, instead of
    // uPlot stretching the points it has (which are a reduction of the whole range).
    cursor: { drag: { x: !banded, y: false, setScale: false } },
    hooks: onZoom && !banded
      ? {
          setSelect: [
            (u: uPlot) => {
              if (u.select.width < 4) return;
              const lo = u.posToVal(u.select.left, 'x');
              const hi = u.posToVal(u.select.left + u.select.width, 'x');
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
              if (Number.isFinite(lo) && Number.isFinite(hi) && lo < hi) onZoom({ lo, hi });
            },
          ],
        }
      : {},
    scales: {
      x: banded ? { time: false, range: () => [-0.5, categories.length - 0.5] } : { time: result.x.scale === 'time', ...(zoom ? { range: (): uPlot.Range.MinMax => [zoom.lo, zoom.hi] } : {}) },
      y: banded ? { range: (_u, lo, hi) => [Math.min(0, lo), hi > 0 ? hi * 1.05 : 1] } : {},
    },
    axes: [xAxis, { ...axis, size: 56 }],
    series: [
      {},
      ...facet.series.map((s, i): uPlot.Series => {
        const color = seriesColor(p.colorIndex[i] ?? i, t.dark);
        const label = seriesLabel(s.y, s.color, multiY);
        if (banded) return { label, stroke: color, fill: `${color}cc`, width: 0, paths: uPlot.paths.bars!({ size: [n === 1 ? 0.8 : 0.9, 80], align: 0 }), points: { show: false } };
        if (result.mark === 'scatter') return { label, stroke: color, width: 0, paths: () => null, points: { show: true, size: 4, stroke: color, fill: color } };
        return { label, stroke: color, width: 1.5, spanGaps: true, points: { show: false } };
      }),
    ],
  };
}

/** One uPlot canvas: made when the answer, the size or the theme changes; destroyed on unmount. */
export function UPlotChart(p: Props): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const { result, facet, width, height, theme, colorIndex, onZoom } = p;
  useEffect(() => {
    const el = host.current;
    if (!el || width < 40) return;
    const banded = result.mark === 'bar' || result.mark === 'histogram';
    const data = banded ? barData(facet, result.categories?.length ?? 0) : facet.series.length ? uPlot.join(facet.series.map((s): uPlot.AlignedData => [s.x, s.values])) : ([[]] as uPlot.AlignedData);
    const plot = new uPlot(options({ result, facet, width, height, theme, colorIndex, onZoom }), data, el);
    return () => plot.destroy();
  }, [result, facet, width, height, theme, colorIndex, onZoom]);
  return <div ref={host} className="chart-plot" data-testid="chart-plot" />;
}
