import { useEffect, useRef, useState, type JSX } from 'react';
import { useDialogFocus } from '../ui/use-dialog-focus';
import type { z } from 'zod';
import type { signingSubject as subjectSchema } from '../../shared/api/gxp-schemas';
import { SIGNATURE_MEANINGS, type SignatureMeaning } from '../../shared/gxp/signers';
import { useDoc } from '../document/doc-store';
import { useHistory } from './history-store';
import { closeSignDialog, signingSubject, signRun } from './sign-actions';

type Subject = z.infer<typeof subjectSchema>;

const MEANING_LABEL: Record<SignatureMeaning, string> = {
  reviewed: 'Reviewed',
  approved: 'Approved',
  released: 'Released (sets the release state)',
  rejected: 'Rejected (sets the release state)',
  on_hold: 'On hold (sets the release state)',
};

/** What the signature covers, shown whole before anything is asked (Part 11 §11.50). */
function SubjectView({ s }: { s: Subject }): JSX.Element {
  return (
    <div className="sign-subject" data-testid="sign-subject">
      <table className="history-nodes">
        <tbody>
          <tr><th>run</th><td className="mono">{s.runId}{s.key !== s.runId ? ` (lot ${s.key})` : ''} · {s.status}</td></tr>
          <tr><th>pipeline</th><td className="mono">{s.pipeline.file}</td></tr>
          <tr><th>commit</th><td className="mono" data-testid="sign-commit">{s.pipeline.gitCommit ? s.pipeline.gitCommit.slice(0, 12) : 'not in git'}{s.pipeline.gitDirty ? ' (uncommitted changes)' : ''}</td></tr>
          <tr><th>file SHA-256</th><td className="mono small">{s.pipeline.sha256}</td></tr>
          <tr><th>record SHA-256</th><td className="mono small" data-testid="sign-record-hash">{s.recordSha256}</td></tr>
          <tr><th>release state</th><td><span className={`release-badge rs-${s.state}`}>{s.state.replace('_', ' ')}</span></td></tr>
        </tbody>
      </table>
      <h4 className="section-title">Inputs ({s.inputs.length})</h4>
      {/* Each list scrolls past 120 px (run.css): focusable and named, so the keyboard can scroll it. */}
      <ul className="sign-list mono small" tabIndex={0} aria-label="Inputs">
        {s.inputs.map((i) => (
          <li key={`${i.node}:${i.uri}`}>{i.node}: {i.uri} <span className="muted">{i.version.slice(0, 16)}</span></li>
        ))}
      </ul>
      <h4 className="section-title">Checks ({s.checks.filter((c) => c.passed).length}/{s.checks.length} passed)</h4>
      <ul className="sign-list small" tabIndex={0} aria-label="Checks" data-testid="sign-checks">
        {s.checks.map((c) => (
          <li key={`${c.node}.${c.rule}`} className={c.passed ? '' : 'err'}>{c.passed ? 'PASS' : 'FAIL'} {c.node}.{c.rule} <span className="muted">({c.severity}{c.passed ? '' : `, ${c.failingRows} rows`})</span></li>
        ))}
      </ul>
      {s.signatures.length > 0 && (
        <>
          <h4 className="section-title">Signed before</h4>
          <ul className="sign-list small" tabIndex={0} aria-label="Signed before">
            {s.signatures.map((g) => (
              <li key={g.seq}>{g.meaning} · {g.signerName} · {g.signedAt}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** History's "Sign…": shows what is signed, asks meaning, comment and passphrase. */
export function SignDialog({ runId }: { runId: string }): JSX.Element {
  const [subject, setSubject] = useState<Subject | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [meaning, setMeaning] = useState<SignatureMeaning>('approved');
  const [comment, setComment] = useState('');
  const [signerId, setSignerId] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    signingSubject(runId).then(
      (s) => {
        setSubject(s);
        setSignerId(s.signers[0]?.id ?? '');
      },
      (e: Error) => setLoadError(e.message),
    );
  }, [runId]);
  useDialogFocus(ref, closeSignDialog);
  const submit = async () => {
    setBusy(true);
    const given = passphrase;
    // The passphrase leaves the field at once, whatever happens next.
    setPassphrase('');
    const r = await signRun({ runId, meaning, comment, signerId: signerId || undefined, passphrase: given });
    setBusy(false);
    setResult(r.ok ? { ok: true, text: r.message } : { ok: false, text: r.error });
    if (r.ok) setSubject(await signingSubject(runId).catch(() => subject));
  };
  const docPath = useDoc((s) => s.path);
  const docDirty = useDoc((s) => s.dirty);
  // What is on screen must be what was signed: unsaved edits of the run's own pipeline are refused
  // here (the main process already refuses a file that differs from the run's).
  const unsaved = subject && docDirty && docPath === subject.pipeline.file ? `${subject.pipeline.file} has unsaved changes in the designer: save or undo them before signing one of its runs` : null;
  const refusal = subject?.refusal ?? unsaved;
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && closeSignDialog()}>
      <div className="modal wide" role="dialog" aria-modal="true" aria-label="Sign run" ref={ref} data-testid="sign-dialog">
        <h2>Sign run</h2>
        {loadError && <div className="field-issue">{loadError}</div>}
        {!subject && !loadError && <p className="muted">Loading what would be signed…</p>}
        {subject && <SubjectView s={subject} />}
        {refusal && (
          <div className="field-issue" data-testid="sign-refusal">
            {refusal}
          </div>
        )}
        {subject && !refusal && (
          <form
            className="sign-form"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <label htmlFor="sign-meaning">Meaning</label>
            <select id="sign-meaning" value={meaning} onChange={(e) => setMeaning(e.target.value as SignatureMeaning)} data-testid="sign-meaning">
              {SIGNATURE_MEANINGS.map((m) => (
                <option key={m} value={m}>{MEANING_LABEL[m]}</option>
              ))}
            </select>
            <label htmlFor="sign-signer">Signer</label>
            {subject.signers.length ? (
              <select id="sign-signer" value={signerId} onChange={(e) => setSignerId(e.target.value)} data-testid="sign-signer">
                {subject.signers.map((s) => (
                  <option key={s.id} value={s.id}>{s.name} ({s.id}{s.roles.length ? `, ${s.roles.join(', ')}` : ''})</option>
                ))}
              </select>
            ) : (
              <p className="field-issue">No signer of signers.json has a key file on this machine (weir signer init).</p>
            )}
            <label htmlFor="sign-comment">Comment</label>
            <textarea id="sign-comment" rows={2} value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} data-testid="sign-comment" />
            <label htmlFor="sign-passphrase">Passphrase</label>
            <input id="sign-passphrase" type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="sign-passphrase" />
            <p className="muted small">Signing binds your name, the time (UTC), the meaning and the comment to this run record's hash, in the audit trail.</p>
            {result && (
              <div className={result.ok ? 'sign-ok' : 'field-issue'} data-testid="sign-result" role="status">
                {result.text}
              </div>
            )}
            <div className="modal-actions">
              <button type="submit" className="btn primary" disabled={busy || !passphrase || !subject.signers.length} data-testid="sign-submit">
                {busy ? 'Signing…' : 'Sign'}
              </button>
              <button type="button" className="btn" onClick={closeSignDialog}>
                Close
              </button>
            </div>
          </form>
        )}
        {(refusal || loadError) && (
          <div className="modal-actions">
            <button type="button" className="btn" onClick={closeSignDialog}>
              Close
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

/** The release state of a run, as a badge (pending, released, rejected, on hold). */
export function ReleaseBadge({ runId }: { runId: string }): JSX.Element | null {
  const r = useHistory((s) => s.release[runId]);
  if (!r) return null;
  const n = r.signatures.length;
  return (
    <span className={`release-badge rs-${r.state}`} data-testid="release-badge" data-state={r.state} title={n ? `${n} signature${n === 1 ? '' : 's'}` : 'no signatures'}>
      {r.state.replace('_', ' ')}
      {n > 0 ? ` · ${n}✎` : ''}
    </span>
  );
}
