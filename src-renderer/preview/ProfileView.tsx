import type { JSX } from 'react';
import type { ColumnProfileDto } from '../../shared/api/profile-schemas';
import { usePreview } from './preview-store';
import { isNumericType } from './grid/cell-format';
import { Histogram } from './Histogram';

const n = (x: number) => x.toLocaleString('en-US');
const pct = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(part && part < whole / 1000 ? 2 : 1)}%` : '–');
const ORDERED = (type: string) => isNumericType(type) || /^(DATE|TIMESTAMP)/.test(type);

function ColumnCard({ c }: { c: ColumnProfileDto }): JSX.Element {
  const ordered = ORDERED(c.type);
  return (
    <div className="profile-col" data-testid="profile-column" data-column={c.name}>
      <div className="profile-col-head">
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
            {c.min ?? <span className="v-null">NULL</span>}
          </dd>
        </div>
        <div>
          <dt>max</dt>
          <dd className="mono" title={c.max ?? undefined}>
            {c.max ?? <span className="v-null">NULL</span>}
          </dd>
        </div>
      </dl>
      {c.histogram.length > 0 ? (
        <div className="profile-hist">
          <Histogram bins={c.histogram} ordered={ordered} />
          <div className="hist-caption muted">{ordered ? `${c.histogram.length} bins` : `top ${c.histogram.length} values`}</div>
        </div>
      ) : (
        <div className="profile-hist muted small">{c.rows === c.nulls ? 'only NULLs' : 'no histogram for this type'}</div>
      )}
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
    <div className="profile" data-testid="profile" aria-busy={loading}>
      <div className="profile-grid">
        {profile.columns.map((c) => (
          <ColumnCard key={c.name} c={c} />
        ))}
      </div>
    </div>
  );
}
