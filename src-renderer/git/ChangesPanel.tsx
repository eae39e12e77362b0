import { useCallback, useEffect, useState, type JSX } from 'react';
import { chartText } from '../../shared/pipeline/semantic-diff-text';
import { errorMessage } from '../../shared/api/envelope';
import type { GitDiffResult, GitHistoryEntry } from '../../shared/api/git-schemas';
import type { LineDiff } from '../../shared/pipeline/line-diff';
import type { NodeChange, PipelineDiff, ValueChange } from '../../shared/pipeline/semantic-diff';
import { api } from '../api/client';
import { refreshWorkspace } from '../workspace/workspace-actions';
import { useDoc } from '../document/doc-store';
import { refreshGit, useGit } from '../workspace/git-store';
import { moment } from '../ui/time-format';
import { useUi } from '../ui/ui-store';
import { useWorkspace } from '../workspace/workspace-store';
import { ReviewSection } from './ReviewSection';
import './git-panel.css';

/**
 * The Changes tab: the open pipeline's semantic diff against the last commit (or what a
 * chosen commit changed), a commit box for the changed pipelines, and the open pipeline's
 * history with a diff and a restore per commit. The diff is the one `weir diff` prints.
 */

const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));

function SqlDiff({ diff }: { diff: LineDiff }): JSX.Element {
  return (
    <pre className="git-sql-diff" data-testid="git-sql-diff">
      {diff.hunks.map((h, i) => (
        <span key={i}>
          <span className="hunk">{`@@ -${h.beforeStart},${h.beforeLines} +${h.afterStart},${h.afterLines} @@\n`}</span>
          {h.lines.map((l, j) => (
            <span key={j} className={l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'ctx'}>{`${l.op} ${l.text}\n`}</span>
          ))}
        </span>
      ))}
    </pre>
  );
}

function ValueLine({ v }: { v: ValueChange }): JSX.Element {
  if (v.change === 'added') return <li className="add">{`${v.path}: + ${show(v.after)}`}</li>;
  if (v.change === 'removed') return <li className="del">{`${v.path}: - ${show(v.before)}`}</li>;
  return <li>{`${v.path}: ${show(v.before)} → ${show(v.after)}`}</li>;
}

function ChangedNode({ n }: { n: NodeChange }): JSX.Element {
  return (
    <li className="git-node changed" data-testid="git-node-changed">
      <b>~ {n.name}</b> <span className="muted">({n.kind})</span>
      {n.renamed && <div>renamed {n.renamed.from} → {n.renamed.to}</div>}
      {n.kindChanged && <div>kind {n.kindChanged.from} → {n.kindChanged.to}</div>}
      {n.inputs && <div>inputs: {n.inputs.before.map((id) => n.inputs?.names[id] ?? id).join(', ') || '(none)'} → {n.inputs.after.map((id) => n.inputs?.names[id] ?? id).join(', ') || '(none)'}</div>}
      {n.config.length > 0 && (
        <ul className="git-values">
          {n.config.map((v) => (
            <ValueLine key={v.path} v={v} />
          ))}
        </ul>
      )}
      {n.sql.map((s) => (
        <div key={s.field}>
          <span className="muted">{s.field}:</span>
          <SqlDiff diff={s.diff} />
        </div>
      ))}
    </li>
  );
}

/** The semantic diff as the Changes tab shows it (also under the banner of a file changed on disk). */
export function DiffView({ diff }: { diff: PipelineDiff }): JSX.Element {
  const { nodes, layout } = diff;
  return (
    <div className="git-diff">
      {diff.pipeline.length > 0 && (
        <ul className="git-values">
          {diff.pipeline.map((v) => (
            <ValueLine key={v.path} v={v} />
          ))}
        </ul>
      )}
      {diff.params.length > 0 && (
        <ul className="git-values">
          {diff.params.map((p) => (
            <li key={p.name} className={p.change === 'added' ? 'add' : p.change === 'removed' ? 'del' : ''}>{`param ${p.name}: ${p.change}`}</li>
          ))}
        </ul>
      )}
      <ul className="git-nodes">
        {nodes.added.map((n) => (
          <li key={n.id} className="git-node add" data-testid="git-node-added">
            + {n.name} <span className="muted">({n.kind})</span>
          </li>
        ))}
        {nodes.removed.map((n) => (
          <li key={n.id} className="git-node del" data-testid="git-node-removed">
            − {n.name} <span className="muted">({n.kind})</span>
          </li>
        ))}
        {nodes.changed.map((n) => (
          <ChangedNode key={n.id} n={n} />
        ))}
      </ul>
      {(layout.moved.length > 0 || layout.charts.length > 0 || layout.reordered) && (
        <div className="git-layout" data-testid="git-layout">
          <span className="muted">layout only (no effect on results):</span>
          <ul>
            {layout.moved.map((m) => (
              <li key={m.id}>{`moved ${m.name}: ${m.before ? `(${m.before.x}, ${m.before.y})` : '—'} → ${m.after ? `(${m.after.x}, ${m.after.y})` : '—'}`}</li>
            ))}
            {layout.charts.map((ch) => (
              <li key={`chart-${ch.id}`} data-testid="git-chart-change">{`chart of ${ch.name}: ${chartText(ch.before)} → ${chartText(ch.after)}`}</li>
            ))}
            {layout.reordered && <li>node order changed</li>}
          </ul>
        </div>
      )}
    </div>
  );
}

function CommitBox({ root }: { root: string }): JSX.Element {
  const status = useGit((s) => s.status);
  const changed = (status?.files ?? []).filter((f) => f.state !== 'committed');
  const [unchecked, setUnchecked] = useState<ReadonlySet<string>>(new Set());
  const [msg, setMsg] = useState('');
  const [busy, setBusy] = useState(false);
  const chosen = changed.filter((f) => !unchecked.has(f.path)).map((f) => f.path);
  const commit = async () => {
    setBusy(true);
    try {
      const r = await api.call('git.commit', { root, files: chosen, message: msg });
      setMsg('');
      useUi.getState().notify('success', `Committed ${r.shortCommit}: ${r.files.length} pipeline${r.files.length > 1 ? 's' : ''}`);
      if (r.usedFallbackIdentity) useUi.getState().notify('info', `git has no user.name / user.email; committed as ${r.author.name} <${r.author.email}>. Set them with git config.`);
    } catch (e) {
      useUi.getState().notify('error', errorMessage(e));
    } finally {
      setBusy(false);
      await refreshGit();
    }
  };
  return (
    <section className="git-commit" aria-label="Commit">
      <h4>Commit</h4>
      {changed.length === 0 && <p className="muted small">Every pipeline is committed.</p>}
      <ul>
        {changed.map((f) => (
          <li key={f.path}>
            <label>
              <input
                type="checkbox"
                checked={!unchecked.has(f.path)}
                onChange={(e) => {
                  const next = new Set(unchecked);
                  if (e.target.checked) next.delete(f.path);
                  else next.add(f.path);
                  setUnchecked(next);
                }}
                data-testid="git-commit-file"
                data-path={f.path}
              />
              <span className={`git-mark git-${f.state}`}>{f.state}</span> {f.path}
            </label>
          </li>
        ))}
      </ul>
      <textarea value={msg} onChange={(e) => setMsg(e.target.value)} placeholder="Commit message" rows={2} aria-label="Commit message" data-testid="git-commit-message" />
      <button type="button" className="btn primary" disabled={busy || !chosen.length || !msg.trim()} onClick={() => void commit()} data-testid="git-commit">
        Commit
      </button>
    </section>
  );
}

/** `reveal` brings a node's card into view on the canvas (the shell hands it in: the canvas is above this feature). */
export function ChangesPanel({ reveal }: { reveal?: (nodeId: string) => void }): JSX.Element {
  const root = useWorkspace((s) => s.workspace?.root ?? null);
  const path = useDoc((s) => s.path);
  const dirty = useDoc((s) => s.dirty);
  const status = useGit((s) => s.status);
  const version = useGit((s) => s.version);
  const [range, setRange] = useState<{ from: string; to: string; label: string } | null>(null);
  const [diff, setDiff] = useState<GitDiffResult | null>(null);
  const [history, setHistory] = useState<GitHistoryEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const fileState = path ? (status?.files.find((f) => f.path === path)?.state ?? null) : null;

  useEffect(() => {
    if (!status) void refreshGit();
  }, [status]);
  useEffect(() => setRange(null), [path]);
  useEffect(() => {
    if (!root || !path || !status?.isRepo) return;
    let live = true;
    setError(null);
    Promise.all([
      api.call('git.diff', range ? { root, path, from: range.from, to: range.to } : { root, path }),
      api.call('git.history', { root, path, limit: 100 }),
    ]).then(
      ([d, h]) => {
        if (!live) return;
        setDiff(d);
        setHistory(h.commits);
      },
      (e: unknown) => {
        if (!live) return;
        setDiff(null);
        setError(errorMessage(e));
      },
    );
    return () => {
      live = false;
    };
  }, [root, path, status?.isRepo, version, range]);

  const restore = useCallback(
    async (c: GitHistoryEntry) => {
      if (!root || !path) return;
      const risky = dirty || (fileState !== null && fileState !== 'committed');
      const ask = `Restore ${path} as it was at ${c.shortCommit} ("${c.subject}")?` + (risky ? ' Its unsaved and uncommitted changes will be lost.' : ' The restored version is not committed until you commit it.');
      if (!window.confirm(ask)) return;
      try {
        await api.call('git.restore', { root, path, revision: c.commit, confirm: risky });
        const doc = await api.call('pipeline.read', { root, path });
        useDoc.getState().load({ root, path, pipeline: doc.pipeline, text: doc.text, sha256: doc.sha256 });
        void api.call('drafts.discard', { root, path }).catch(() => {});
        useUi.getState().notify('success', `Restored ${path} from ${c.shortCommit}; commit it to keep it in the history.`);
        setRange(null);
      } catch (e) {
        useUi.getState().notify('error', errorMessage(e));
      }
      await refreshWorkspace();
    },
    [root, path, dirty, fileState],
  );

  if (!root) return <p className="muted pad">No workspace open.</p>;
  if (!status) return <p className="muted pad">Asking git…</p>;
  if (!status.isRepo) return <p className="muted pad" data-testid="git-not-repo">This workspace is not a git repository. Run "git init" in {root} to version its pipelines.</p>;

  return (
    <div className="git-wrap">
      <div className="git-panel" data-testid="git-panel">
        <section className="git-changes" aria-label="Changes">
          {path && <ReviewSection reveal={reveal} />}
          <h4>
            {range ? range.label : `${path ?? ''}: last commit → saved file`}
            {range && (
              <button type="button" className="btn small" onClick={() => setRange(null)}>
                back to working copy
              </button>
            )}
          </h4>
          {!range && dirty && <p className="muted small">Unsaved edits are not in this diff: save to see them.</p>}
          {error && <p className="error small">{error}</p>}
          {diff && (
            <>
              <p className="git-summary" data-testid="git-summary">{diff.summary}</p>
              <DiffView diff={diff.diff} />
            </>
          )}
        </section>
        <div className="git-side">
          <CommitBox root={root} />
          <section className="git-history" aria-label="History">
            <h4>History{status.branch ? ` (${status.branch})` : ''}</h4>
            {history.length === 0 && <p className="muted small">No commits of this pipeline yet.</p>}
            <ol>
              {history.map((c, i) => (
                <li key={c.commit} data-testid="git-history-entry">
                  <code>{c.shortCommit}</code>
                  <span className="subject" title={c.subject}>
                    {c.subject}
                  </span>
                  <span className="muted small meta" title={c.date}>
                    {c.author.name}, {moment(c.date)}
                  </span>
                  <button
                    type="button"
                    className="btn small"
                    onClick={() => {
                      const prev = history[i + 1];
                      setRange({ from: prev ? prev.commit : `${c.commit}~1`, to: c.commit, label: `what ${c.shortCommit} changed` });
                    }}
                    data-testid="git-history-diff"
                  >
                    diff
                  </button>
                  <button type="button" className="btn small" onClick={() => void restore(c)} data-testid="git-history-restore">
                    restore
                  </button>
                </li>
              ))}
            </ol>
          </section>
        </div>
      </div>
    </div>
  );
}
