import type { JSX } from 'react';
import { discardDraft, restoreDraft } from './commands';
import { useDoc } from '../document/doc-store';
import { useUi } from '../ui/ui-store';

/** Offered when a pipeline opens with a draft that differs from the file: unsaved work from a crash. */
export function RecoveryBanner(): JSX.Element | null {
  const draft = useUi((s) => s.recovery);
  const baseSha = useDoc((s) => s.baseSha256);
  const dirty = useDoc((s) => s.dirty);
  if (!draft) return null;
  const when = new Date(draft.savedAt).toLocaleString();
  const changedSince = draft.baseSha256 !== null && draft.baseSha256 !== baseSha;
  return (
    <div className="banner" role="alert" data-testid="recovery-banner">
      <span>
        Unsaved changes to this pipeline from {when} were recovered.
        {changedSince && ' The file has changed on disk since then.'}
        {/* Autosave leaves an offered draft alone (document/autosave.ts). */}
        {dirty && ' Your newer edits are kept as a draft once you choose.'}
      </span>
      <span className="spacer" />
      <button type="button" className="btn primary small" onClick={restoreDraft} data-testid="restore-draft">
        Restore
      </button>
      <button type="button" className="btn small" onClick={() => void discardDraft()}>
        Discard
      </button>
    </div>
  );
}
