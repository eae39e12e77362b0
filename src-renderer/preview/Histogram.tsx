import type { JSX } from 'react';
import type { ColumnProfileDto } from '../../shared/api/profile-schemas';

/**
 * A small inline histogram: one bar per bin (numbers and dates: equal-width ranges, lower
 * bound as label; text: the most frequent values). Hover a bar for its label and count.
 */
export function Histogram({ bins, width = 180, height = 40, ordered }: { bins: ColumnProfileDto['histogram']; width?: number; height?: number; ordered: boolean }): JSX.Element | null {
  if (!bins.length) return null;
  const max = Math.max(...bins.map((b) => b.count), 1);
  const gap = bins.length > 1 ? 2 : 0;
  const w = (width - gap * (bins.length - 1)) / bins.length;
  return (
    <svg className={`histogram${ordered ? ' ordered' : ' top-values'}`} width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={ordered ? 'distribution' : 'most frequent values'} data-testid="histogram">
      {bins.map((b, i) => {
        const h = Math.max(1, Math.round((b.count / max) * (height - 2)));
        return (
          <rect key={i} x={i * (w + gap)} y={height - h} width={Math.max(1, w)} height={h} rx={1.5}>
            <title>{`${ordered ? `from ${b.label}` : b.label}: ${b.count.toLocaleString('en-US')}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
