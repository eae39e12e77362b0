import { useEffect, type JSX } from 'react';
import { duration } from '../../shared/format';
import type { NodeRecord } from '../../shared/run/record';
import { useDoc } from '../document/doc-store';
import { moment } from '../ui/time-format';
import { useHistory } from './history-store';
import { loadHistory, selectHistoryRun, showHistoryRunOnCanvas } from './run-actions';
import { checkTally } from './run-reducer';
import { isRunning, useRun } from './run-store';
import { openSignDialog } from './sign-actions';
import { ReleaseBadge, SignDialog } from './SignDialog';
import './run.css';

const n = (x: number) => x.toLocaleString('en-US');

function NodeRow({ r }: { r: NodeRecord }): JSX.Element {
  const tally = checkTally(r.checks ?? null);
  return (
    <tr className={`st-${r.status}`} data-testid="history-node" data-node={r.name} data-status={r.status}>
      <td className="mono">{r.name}</td>
      <td className="muted">{r.kind}</td>
      <td>
        <span className={`status-chip sc-${r.status}`}>{r.status}</span>
        {r.cached && <span className="tag">cached</span>}
      </td>
      <td className="num">{r.rows === null ? '' : n(r.rows)}</td>
      <td className="num">{duration(r.durationMs)}</td>
      <td>{tally ? <span className={`check-badge ${tally.state}`}>{tally.passed}/{tally.total}</span> : ''}</td>
      <td className="err" title={r.error}>
        {r.error ?? ''}
      </td>
    </tr>
  );
}

/** The selected run's signatures, oldest first (issue #18). */
function Signatures({ runId }: { runId: string }): JSX.Element | null {
  const r = useHistory((s) => s.release[runId]);
  if (!r?.signatures.length) return null;
  return (
    <ul className="history-signatures" data-testid="history-signatures">
      {r.signatures.map((g) => (
        <li key={g.seq} data-testid="history-signature" data-meaning={g.meaning}>
          <span className="status-chip">{g.meaning.replace('_', ' ')}</span> {g.signerName} <span className="muted">({g.signerId}, OS account {g.account}) · {g.signedAt}</span>
          {g.comment && <span className="muted"> · “{g.comment}”</span>}
        </li>
      ))}
    </ul>
  );
}

function RecordView(): JSX.Element | null {
  const record = useHistory((s) => s.record);
  const error = useHistory((s) => s.recordError);
  const selected = useHistory((s) => s.selected);
  const running = useRun((s) => isRunning(s.phase));
  const path = useDoc((s) => s.path);
  if (!selected) return <p className="muted pad">Select a run to see its nodes.</p>;
  if (error) return <div className="run-error pad-x">{error}</div>;
  if (!record) return <p className="muted pad">Loading…</p>;
  const params = Object.entries(record.params);
  return (
    <div className="history-record" data-testid="history-record" data-run-id={record.runId}>
      <div className="history-record-head">
        <span className={`status-chip sc-${record.status}`}>{record.status}</span>
        <span className="mono">{record.runId}</span>
        <span className="muted">
          {record.environment} · {record.user}@{record.host} · {record.pipeline.gitCommit ? `git ${record.pipeline.gitCommit.slice(0, 8)}${record.pipeline.gitDirty ? ' (dirty)' : ''}` : 'not in git'}
        </span>
        {/* Each item says what it is, with no leading "·": at 1024 px the head wraps, and a line began "· min_viability_pct=70". */}
        {params.length > 0 && (
          <span className="muted" data-testid="history-params" title="The parameters this run used">
            with {params.map(([k, v]) => `${k}=${String(v)}`).join(', ')}
          </span>
        )}
        {record.userHint && <span className="muted" title="WEIR_USER: a display name recorded beside the OS account">as “{record.userHint}”</span>}
        {record.reason && (
          <span className="muted" data-testid="history-reason">
            reason: {record.reason}
          </span>
        )}
        <ReleaseBadge runId={record.runId} />
        <span className="spacer" />
        <button type="button" className="btn small" onClick={() => openSignDialog(record.runId)} data-testid="history-sign" title="Sign this run record: see what is signed, choose the meaning, give your passphrase">
          Sign…
        </button>
        {record.pipeline.file === path && (
          <button type="button" className="btn small" onClick={showHistoryRunOnCanvas} disabled={running} data-testid="history-show-on-canvas" title="Show this run's statuses and check results on the cards">
            Show on canvas
          </button>
        )}
      </div>
      <Signatures runId={record.runId} />
      <table className="history-nodes">
        <thead>
          <tr>
            <th>node</th>
            <th>kind</th>
            <th>status</th>
            <th className="num">rows</th>
            <th className="num">time</th>
            <th>checks</th>
            <th>error</th>
          </tr>
        </thead>
        <tbody>
          {record.nodes.map((r) => (
            <NodeRow key={r.id} r={r} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Run history from the workspace's run records: a list, and the selected run's nodes. */
export function RunHistory(): JSX.Element {
  const runs = useHistory((s) => s.runs);
  const loading = useHistory((s) => s.loading);
  const error = useHistory((s) => s.error);
  const selected = useHistory((s) => s.selected);
  const only = useHistory((s) => s.onlyThisPipeline);
  const path = useDoc((s) => s.path);
  const signing = useHistory((s) => s.signing);
  useEffect(() => {
    void loadHistory();
  }, []);
  const shown = only && path ? runs.filter((r) => r.file === path) : runs;
  return (
    <div className="history-wrap">
      <div className="history">
        <div className="history-list">
          <div className="log-tools">
            <label className="small">
              <input type="checkbox" checked={only} onChange={(e) => useHistory.getState().set({ onlyThisPipeline: e.target.checked })} /> this pipeline only
            </label>
            <span className="spacer" />
            <button type="button" className="link" onClick={() => void loadHistory()} disabled={loading}>
              {loading ? 'loading…' : 'refresh'}
            </button>
          </div>
          {error && <div className="run-error pad-x">{error}</div>}
          {!shown.length && !loading && <p className="muted pad">No runs yet.</p>}
          <ul data-testid="history-list">
            {shown.map((r) => (
              <li key={r.runId}>
                <button type="button" className={`history-item${r.runId === selected ? ' active' : ''}`} onClick={() => void selectHistoryRun(r.runId)} data-testid="history-item" data-run-id={r.runId} data-status={r.status}>
                  <span className={`dot sc-${r.status}`} aria-label={r.status} />
                  <span className="grow">
                    <span className="history-when" title={new Date(r.startedAt).toString()}>{moment(r.startedAt)}</span>
                    <span className="muted small history-of">
                      {r.pipeline} · {r.environment}
                    </span>
                  </span>
                  <span className="muted small history-duration" data-testid="history-duration">
                    {duration(r.durationMs)}
                  </span>
                  <ReleaseBadge runId={r.runId} />
                  <span className={`status-chip sc-${r.status}`}>{r.status === 'failed' && r.failedNodes ? `${r.failedNodes} failed` : r.status}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
        <RecordView />
      </div>
      {signing && <SignDialog runId={signing} />}
    </div>
  );
}
