import type { JSX } from 'react';
import type { ColumnProfileDto } from '../../shared/api/profile-schemas';
import { usePreview } from './preview-store';
import { formatNumber, isNumericType } from './grid/cell-format';
import { Histogram } from './Histogram';
import { typeIcon } from './grid/type-icon';

const n = (x: number) => x.toLocaleString('en-US');
const pct = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(part && part < whole / 1000 ? 2 : 1)}%` : '–');
const ORDERED = (type: string) => isNumericType(type) || /^(DATE|TIMESTAMP)/.test(type);

/** What the chart's caption says: how the range is cut, or how many of the values are shown. */
function caption(c: ColumnProfileDto, ordered: boolean): string {
  const shown = c.histogram.length;
  if (ordered) return `${shown} bins`;
  const unique = c.distinct === c.rows - c.nulls && c.rows > 1;
  if (unique) return shown < c.distinct ? `every value once: the first ${shown} of ${n(c.distinct)}` : 'every value once';
  return shown < c.distinct ? `top ${shown} of ${n(c.distinct)} values` : `all ${shown} values`;
}

function ColumnChart({ c, ordered }: { c: ColumnProfileDto; ordered: boolean }): JSX.Element {
  const values = c.rows - c.nulls;
  if (values === 0) return <div className="profile-hist muted small">only NULLs</div>;
  // One value in every non-NULL row: nothing to spread over bins.
  if (c.distinct === 1) {
    return (
      <div className="profile-hist single muted small" data-testid="profile-single">
        one value{c.min !== null ? <>: <span className="mono">{c.min}</span></> : null} ({values === c.rows ? 'every row' : `${n(values)} rows`})
      </div>
    );
  }
  if (!c.histogram.length) return <div className="profile-hist muted small">no histogram for this type</div>;
  return (
    <div className="profile-hist">
      <Histogram bins={c.histogram} ordered={ordered} />
      <div className="hist-caption muted" data-testid="hist-caption">
        {caption(c, ordered)}
      </div>
    </div>
  );
}

function ColumnCard({ c }: { c: ColumnProfileDto }): JSX.Element {
  const ordered = ORDERED(c.type);
  const icon = typeIcon(c.type);
  return (
    <div className="profile-col" data-testid="profile-column" data-column={c.name}>
      <div className="profile-col-head">
        <span className="col-icon" aria-hidden="true" title={icon.kind}>
          {icon.glyph}
        </span>
        <span className="col-name">{c.name}</span>
        <span className="col-type">{c.type}</span>
      </div>
      <dl className="profile-stats">
        <div>
          <dt>nulls</dt>
          <dd data-testid="profile-nulls" data-value={c.nulls} className={c.nulls ? 'has-nulls' : ''}>
            {n(c.nulls)}
            {c.nulls > 0 && <span className="muted"> ({pct(c.nulls, c.rows)})</span>}
          </dd>
        </div>
        <div>
          <dt>distinct</dt>
          <dd data-testid="profile-distinct" data-value={c.distinct}>
            {n(c.distinct)}
            {c.distinct === c.rows - c.nulls && c.rows > 1 ? <span className="tag">unique</span> : null}
          </dd>
        </div>
        <div>
          <dt>min</dt>
          <dd className="mono" title={c.min ?? undefined}>
            {c.min === null ? <span className="v-null">NULL</span> : isNumericType(c.type) ? formatNumber(c.min, c.type) : c.min}
          </dd>
        </div>
        <div>
          <dt>max</dt>
          <dd className="mono" title={c.max ?? undefined}>
            {c.max === null ? <span className="v-null">NULL</span> : isNumericType(c.type) ? formatNumber(c.max, c.type) : c.max}
          </dd>
        </div>
      </dl>
      <ColumnChart c={c} ordered={ordered} />
    </div>
  );
}

/** The profile tab: a card per column over every row of the node (not just the rows shown). */
export function ProfileView(): JSX.Element {
  const profile = usePreview((s) => s.profile);
  const loading = usePreview((s) => s.profileLoading);
  const error = usePreview((s) => s.profileError);
  if (error) return <div className="run-error pad-x">{error}</div>;
  if (!profile) return <p className="muted pad">{loading ? 'Profiling every row…' : 'No profile yet.'}</p>;
  return (
    // Focusable, so the keyboard can scroll the cards (nothing inside them takes the focus).
    <div className="profile" data-testid="profile" aria-busy={loading} role="region" tabIndex={0} aria-label="Column profile">
      <div className="profile-grid">
        {profile.columns.map((c) => (
          <ColumnCard key={c.name} c={c} />
        ))}
      </div>
    </div>
  );
}
