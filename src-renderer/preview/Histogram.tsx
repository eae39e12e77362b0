import type { JSX } from 'react';
import type { ColumnProfileDto } from '../../shared/api/profile-schemas';

type Bins = ColumnProfileDto['histogram'];

const n = (x: number) => x.toLocaleString('en-US');

/** A numeric bound grouped by thousands (`4,000,000`); dates and other text as they are. */
const readable = (label: string): string => (/^-?\d{4,}(\.\d+)?$/.test(label) ? label.replace(/\B(?=(\d{3})+(?!\d))(?<!\.\d*)/g, ',') : label);

/** A bin's range in words: `60 – 65`, or the value itself where a bin holds one value. */
export const binRange = (b: Bins[number]): string => (b.upper !== undefined ? `${readable(b.label)} – ${readable(b.upper)}` : readable(b.label));

/** Numbers and dates: one bar per bin of the range (empty bins too, so gaps show), the bounds written under the ends. */
function Distribution({ bins, width, height }: { bins: Bins; width: number; height: number }): JSX.Element {
  const max = Math.max(...bins.map((b) => b.count), 1);
  const gap = bins.length > 1 ? (bins.length > 16 ? 1 : 2) : 0;
  const w = (width - gap * (bins.length - 1)) / bins.length;
  const first = bins[0]!;
  const last = bins.at(-1)!;
  return (
    <div className="hist-distribution">
      <svg className="histogram ordered" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label="distribution" data-testid="histogram">
        {bins.map((b, i) => {
          const h = b.count ? Math.max(2, Math.round((b.count / max) * (height - 2))) : 1;
          return (
            <rect key={i} x={i * (w + gap)} y={height - h} width={Math.max(1, w)} height={h} rx={1.5} className={b.count ? undefined : 'empty'}>
              <title>{`${binRange(b)}: ${n(b.count)}`}</title>
            </rect>
          );
        })}
      </svg>
      <div className="hist-axis muted" style={{ width }}>
        <span>{readable(first.label)}</span>
        <span>{readable(last.upper ?? last.label)}</span>
      </div>
    </div>
  );
}

const LABEL_CHARS = 14;
const cut = (s: string) => (s.length > LABEL_CHARS ? `${s.slice(0, LABEL_CHARS - 1)}…` : s);

/** Other types: the most frequent values as labelled horizontal bars, the count at the end of each. */
function TopValues({ bins, width }: { bins: Bins; width: number }): JSX.Element {
  const rowH = 15;
  const labelW = 96;
  const countW = 36;
  const barW = width - labelW - countW;
  const max = Math.max(...bins.map((b) => b.count), 1);
  const height = bins.length * rowH;
  return (
    <svg className="histogram top-values" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label="most frequent values" data-testid="histogram">
      {bins.map((b, i) => {
        const y = i * rowH;
        const w = Math.max(2, Math.round((b.count / max) * barW));
        return (
          <g key={i} data-testid="top-value">
            <text x={labelW - 6} y={y + rowH - 4} textAnchor="end" className="hist-label">
              {b.label === '' ? "''" : cut(b.label)}
            </text>
            <rect x={labelW} y={y + 2} width={w} height={rowH - 4} rx={1.5}>
              <title>{`${b.label === '' ? "'' (empty)" : b.label}: ${n(b.count)}`}</title>
            </rect>
            <text x={labelW + w + 4} y={y + rowH - 4} className="hist-count">
              {n(b.count)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/**
 * A column's small chart in the profile: a histogram over the range for numbers and dates,
 * labelled bars of the most frequent values for the rest. Hover a bar for its range (or
 * value) and count.
 */
export function Histogram({ bins, width = 200, height = 40, ordered }: { bins: Bins; width?: number; height?: number; ordered: boolean }): JSX.Element | null {
  if (!bins.length) return null;
  return ordered ? <Distribution bins={bins} width={width} height={height} /> : <TopValues bins={bins} width={width} />;
}
