import { useEffect, useState, type JSX } from 'react';
import { errorMessage } from '../../shared/api/envelope';
import type { PartitionsListing } from '../../shared/api/lots-schemas';
import { api } from '../api/client';
import { useDoc } from '../document/doc-store';
import { moment } from '../ui/time-format';
import { runOptions } from './run-options';
import { isRunning, useRun } from './run-store';
import './run.css';

const STATE_LABEL: Record<string, string> = { new: 'new', changed: 'changed', up_to_date: 'up to date', failed: 'failed' };

/**
 * A partitioned pipeline's lots (docs/lots.md) as `weir partitions` lists them: state by colour,
 * the last run, and "Run" for one lot. Asked again whenever a run ends.
 */
export function LotsPanel({ runLots }: { runLots: (keys: string[]) => void }): JSX.Element {
  const root = useDoc((s) => s.root);
  const path = useDoc((s) => s.path);
  const key = useDoc((s) => s.doc?.partitions?.key ?? null);
  const spec = useDoc((s) => s.doc?.partitions);
  const running = useRun((s) => isRunning(s.phase));
  const [listing, setListing] = useState<PartitionsListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    if (!root || !path || running) return;
    let live = true;
    const { environment, params } = runOptions();
    api.call('pipeline.partitions', { root, path, ...(environment ? { environment } : {}), ...(params ? { params } : {}) }).then(
      (l) => {
        if (!live) return;
        setListing(l);
        setError(null);
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [root, path, running, asked]);

  if (!key) return <p className="muted pad">This pipeline is not partitioned: a top-level "partitions" names its lots (docs/lots.md).</p>;
  if (error) return <div className="run-error pad-x" data-testid="lots-error">{error}</div>;
  if (!listing) return <p className="muted pad">Listing lots…</p>;
  const counts = new Map<string, number>();
  for (const p of listing.partitions) counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
  return (
    <div className="lots-panel" data-testid="lots-panel">
      <div className="lots-head">
        <span>
          {listing.partitions.length} lot{listing.partitions.length === 1 ? '' : 's'} by <span className="mono">{listing.key}</span>
        </span>
        {[...counts].map(([s, n]) => (
          <span key={s} className={`lot-state lot-${s}`}>
            {n} {STATE_LABEL[s]}
          </span>
        ))}
        <span className="spacer" />
        <button type="button" className="btn small" disabled={running} onClick={() => setAsked((n) => n + 1)} data-testid="lots-refresh">
          Refresh
        </button>
      </div>
      {listing.partitions.length === 0 ? (
        <NoLots paths={Object.values(spec?.sources ?? {}).flatMap((src) => ('path' in src ? [src.path] : []))} lotKey={listing.key} />
      ) : (
        <table className="history-nodes lots-table">
          <thead>
            <tr>
              <th>{listing.key}</th>
              <th>state</th>
              <th>last run</th>
              <th>when</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {listing.partitions.map((p) => (
              <tr key={p.key} data-testid="lot-row" data-lot={p.key} data-state={p.state}>
                <td className="mono">{p.key}</td>
                <td>
                  <span className={`lot-state lot-${p.state}`}>{STATE_LABEL[p.state]}</span>
                </td>
                <td className="mono muted">{p.runId ?? ''}</td>
                <td className="muted">{p.at ? moment(p.at) : ''}</td>
                <td>
                  <button type="button" className="btn small" disabled={running} onClick={() => runLots([p.key])} data-testid="lot-run" title={`Run lot ${p.key} (its own run: checks and publish of this lot only)`}>
                    Run
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * No lot found yet: where lots come from, instead of an empty table under "0 lots" (what the
 * template's release_by_lot showed until its lot folders are made).
 */
function NoLots({ paths, lotKey }: { paths: string[]; lotKey: string }): JSX.Element {
  return (
    <div className="muted pad lots-none" data-testid="lots-none">
      <p>
        No lots yet. A lot is a value of <span className="mono">{lotKey}</span> that its sources' files name
        {paths.length ? ', in these paths:' : ' (docs/lots.md).'}
      </p>
      {paths.length > 0 && (
        <ul>
          {paths.map((p) => (
            <li key={p} className="mono">
              {p}
            </li>
          ))}
        </ul>
      )}
      <p>A lot appears here once its files are there; Refresh looks again.</p>
    </div>
  );
}
