import { errorMessage } from '../../shared/api/envelope';
import type { SignatureMeaning } from '../../shared/gxp/signers';
import { api } from '../api/client';
import { useWorkspace } from '../workspace/workspace-store';
import { useHistory } from './history-store';

/** Release states and signatures of the workspace's runs, for History's badges. */
export async function loadReleaseStates(): Promise<void> {
  const root = useWorkspace.getState().workspace?.root;
  if (!root) return;
  try {
    const { runs } = await api.call('release.status', { root });
    useHistory.getState().set({ release: Object.fromEntries(runs.map((r) => [r.runId, r])) });
  } catch {
    // History still lists runs; the badges wait for the next refresh.
  }
}

export function openSignDialog(runId: string): void {
  useHistory.getState().set({ signing: runId });
}

export function closeSignDialog(): void {
  useHistory.getState().set({ signing: null });
}

export async function signingSubject(runId: string) {
  const root = useWorkspace.getState().workspace?.root;
  if (!root) throw new Error('no workspace open');
  return api.call('sign.subject', { root, runId });
}

/**
 * Signs; the passphrase goes to the main process in this one request and is dropped by the
 * caller right after (the dialog clears its field whatever the outcome).
 */
export async function signRun(req: { runId: string; meaning: SignatureMeaning; comment: string; signerId?: string; passphrase: string }): Promise<{ ok: true; message: string } | { ok: false; error: string }> {
  const root = useWorkspace.getState().workspace?.root;
  if (!root) return { ok: false, error: 'no workspace open' };
  try {
    const r = await api.call('sign.run', { root, ...req, comment: req.comment || undefined });
    await loadReleaseStates();
    return { ok: true, message: `Signed as ${r.meaning} by ${r.signerName}${r.state ? `; state ${r.state.from} → ${r.state.to}` : ''}` };
  } catch (e) {
    return { ok: false, error: errorMessage(e) };
  }
}
