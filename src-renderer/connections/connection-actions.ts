import type { ConnectionTestResultDto } from '../../shared/api/connection-schemas';
import { errorMessage } from '../../shared/api/envelope';
import { api } from '../api/client';
import { refreshWorkspace } from '../workspace/workspace-actions';
import { testKey, useConnections } from './connections-store';
import { useUi } from '../ui/ui-store';
import { useWorkspace } from '../workspace/workspace-store';

const root = () => useWorkspace.getState().workspace?.root ?? null;

export async function loadConnections(): Promise<void> {
  const r = root();
  if (!r) return;
  useConnections.getState().set({ loading: true, error: null });
  try {
    const info = await api.call('connections.list', { root: r });
    const viewing = useConnections.getState().viewing;
    useConnections.getState().set({
      info,
      loading: false,
      // None picked here: the panel shows the environment in use (it opened on the first one, dev, while prod was in use).
      viewing: viewing && info.environments.some((e) => e.name === viewing) ? viewing : null,
    });
  } catch (e) {
    useConnections.getState().set({ loading: false, error: errorMessage(e) });
  }
}

export interface ConnectionDraft {
  environment: string;
  name: string;
  previousName?: string;
  spec: Record<string, unknown>;
  /** Secret values typed in the form: stored under their names before the file is written. */
  secrets: Record<string, string>;
}

async function storeSecrets(secrets: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(secrets)) await api.call('secrets.set', { name, value });
}

/** Stores the typed secrets (keychain), then writes the connection (references only) to the workspace file. */
export async function saveConnection(d: ConnectionDraft): Promise<boolean> {
  const r = root();
  if (!r) return false;
  try {
    await storeSecrets(d.secrets);
    const info = await api.call('connections.save', { root: r, environment: d.environment, name: d.name, previousName: d.previousName, spec: d.spec });
    useConnections.getState().set({ info, editing: null, viewing: d.environment });
    useUi.getState().notify('success', `Saved connection "${d.name}" in ${d.environment}`);
    await refreshWorkspace();
    return true;
  } catch (e) {
    useUi.getState().notify('error', errorMessage(e));
    return false;
  }
}

export async function deleteConnection(environment: string, name: string): Promise<void> {
  const r = root();
  if (!r) return;
  if (!window.confirm(`Remove connection "${name}" from ${environment}? Nodes that use it will not run in ${environment}.`)) return;
  try {
    const info = await api.call('connections.delete', { root: r, environment, name });
    useConnections.getState().set({ info });
  } catch (e) {
    useUi.getState().notify('error', errorMessage(e));
  }
}

/** Tests a saved connection, or the form's unsaved one (its typed secrets are stored first). */
export async function testConnection(environment: string, name: string, draft?: { spec: Record<string, unknown>; secrets: Record<string, string> }): Promise<void> {
  const r = root();
  if (!r) return;
  const key = testKey(environment, draft ? `${name}#draft` : name);
  const set = (v: ConnectionTestResultDto | 'testing') =>
    useConnections.getState().set({ tests: { ...useConnections.getState().tests, [key]: v } });
  set('testing');
  try {
    if (draft) await storeSecrets(draft.secrets);
    const result = await api.call('connections.test', { root: r, environment, name, ...(draft ? { spec: draft.spec } : {}) });
    set(result);
    if (draft) void loadConnections(); // secrets may now be set
  } catch (e) {
    set({ ok: false, message: errorMessage(e), elapsedMs: 0 });
  }
}
