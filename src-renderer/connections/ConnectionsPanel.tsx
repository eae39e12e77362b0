import { useEffect, useState, type JSX } from 'react';
import type { ConnectionEntryDto, SecretRefDto } from '../../shared/api/connection-schemas';
import { api } from '../api/client';
import { deleteConnection, loadConnections, testConnection } from './connection-actions';
import { testKey, useConnections } from './connections-store';
import { useRunConfig } from '../run/run-config-store';
import { activeEnvironment } from '../run/run-options';
import { useUi } from '../ui/ui-store';
import { useWorkspace } from '../workspace/workspace-store';
import { kindLabel, summarize } from './connection-fields';
import { ConnectionForm } from './ConnectionForm';
import { TestResult } from './TestResult';
import './connections.css';

/** A referenced secret: set (and where) or not; an unset one can be given a value here. */
function SecretChip({ r }: { r: SecretRefDto }): JSX.Element {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const save = async () => {
    try {
      await api.call('secrets.set', { name: r.name, value });
      setOpen(false);
      setValue('');
      await loadConnections();
    } catch (e) {
      useUi.getState().notify('error', (e as Error).message);
    }
  };
  return (
    <span className={`secret-chip ${r.source ? 'set' : 'unset'}`} title={r.source ? `set (${r.source === 'keychain' ? 'stored by the app' : 'in the environment'})` : 'not set: runs in this environment fail until it is'}>
      <code>{r.name}</code> {r.source ? '✓' : 'not set'}
      {!open ? (
        <button type="button" className="link" onClick={() => setOpen(true)}>
          {r.source ? 'replace' : 'set'}
        </button>
      ) : (
        <span className="secret-set">
          <input type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} aria-label={`Value of ${r.name}`} autoFocus />
          <button type="button" className="btn small" disabled={!value} onClick={() => void save()}>
            Store
          </button>
          <button type="button" className="link" onClick={() => setOpen(false)}>
            cancel
          </button>
        </span>
      )}
    </span>
  );
}

function ConnectionRow({ env, c }: { env: string; c: ConnectionEntryDto }): JSX.Element {
  const test = useConnections((s) => s.tests[testKey(env, c.name)]);
  return (
    <li className="conn-row" data-testid="connection-row" data-name={c.name} data-kind={c.kind}>
      <div className="conn-row-main">
        <span className="mono conn-name">{c.name}</span>
        <span className="tag">{kindLabel(c.kind)}</span>
        <span className="muted conn-summary" title={summarize(c.spec)}>
          {summarize(c.spec)}
        </span>
        <span className="spacer" />
        <button type="button" className="btn small" onClick={() => void testConnection(env, c.name)} disabled={test === 'testing'} data-testid="conn-test">
          Test
        </button>
        <button type="button" className="btn small" onClick={() => useConnections.getState().set({ editing: c.name })} data-testid="conn-edit">
          Edit
        </button>
        <button type="button" className="icon-btn" aria-label={`Remove ${c.name}`} onClick={() => void deleteConnection(env, c.name)}>
          ✕
        </button>
      </div>
      {c.problem && <div className="field-issue">{c.problem}</div>}
      {(c.refs.length > 0 || test) && (
        <div className="conn-row-sub">
          {c.refs.map((r) => (
            <SecretChip key={r.name} r={r} />
          ))}
          <TestResult result={test} />
        </div>
      )}
    </li>
  );
}

/**
 * The workspace's environments and connections (weir.workspace.json). "Use" makes an
 * environment the one runs and previews from this app use; the file's default stays.
 */
export function ConnectionsPanel(): JSX.Element {
  const info = useConnections((s) => s.info);
  const error = useConnections((s) => s.error);
  const viewing = useConnections((s) => s.viewing);
  const editing = useConnections((s) => s.editing);
  useRunConfig((s) => s.environment); // re-render when the active environment changes
  const root = useWorkspace((s) => s.workspace?.root);
  const [newEnv, setNewEnv] = useState<string | null>(null);
  useEffect(() => {
    void loadConnections();
  }, [root]);
  if (error) return <div className="run-error pad-x">{error}</div>;
  if (!info) return <p className="muted pad">Loading…</p>;
  const active = activeEnvironment();
  const envNames = info.environments.map((e) => e.name);
  // The environment in use unless the user picked another here: Test then tries what a run would use.
  const shownEnv = newEnv ?? viewing ?? (envNames.includes(active) ? active : (envNames[0] ?? info.defaultEnvironment));
  const env = info.environments.find((e) => e.name === shownEnv);
  const editEntry = editing && editing !== 'new' ? (env?.connections.find((c) => c.name === editing) ?? null) : null;
  return (
    <div className="connections" data-testid="connections-panel">
      <div className="env-list">
        <div className="muted small env-list-head">Environments</div>
        <ul>
          {envNames.map((e) => (
            <li key={e} className={`env-item${e === shownEnv ? ' active' : ''}`} data-testid="env-item" data-env={e}>
              <button
                type="button"
                className="env-pick"
                onClick={() => {
                  useConnections.getState().set({ viewing: e, editing: null });
                  setNewEnv(null);
                }}
              >
                <span className="mono">{e}</span>
                {e === info.defaultEnvironment && <span className="muted small"> default</span>}
                {info.environments.find((x) => x.name === e)?.protected && (
                  <span className="tag env-protected" title="protected: runs against it ask first">
                    protected
                  </span>
                )}
              </button>
              {e === active ? (
                <span className="tag on" data-testid="env-active">
                  in use
                </span>
              ) : (
                <button type="button" className="link" onClick={() => useRunConfig.getState().setEnvironment(e)} data-testid={`env-use-${e}`} title={`Run and preview with the connections of ${e}`}>
                  use
                </button>
              )}
            </li>
          ))}
        </ul>
        {newEnv === null ? (
          <button type="button" className="link" onClick={() => setNewEnv('')}>
            + environment
          </button>
        ) : (
          <input className="new-env" placeholder="qa" aria-label="New environment name" value={newEnv} onChange={(e) => setNewEnv(e.target.value)} autoFocus />
        )}
        <p className="muted small">{info.persistentSecrets ? 'Secrets are kept in the OS keychain.' : 'Secrets are kept in memory until the app stops (no keychain here).'}</p>
      </div>
      <div className="conn-main">
        {env?.description && <p className="muted small">{env.description}</p>}
        {editing ? (
          <ConnectionForm key={`${shownEnv}/${editing}`} environment={shownEnv} entry={editEntry} />
        ) : (
          <>
            {!env?.connections.length && <p className="muted small">{newEnv !== null ? `Add the first connection of "${shownEnv || '…'}" to create it.` : `No connections in ${shownEnv}.`}</p>}
            <ul className="conn-list">
              {env?.connections.map((c) => (
                <ConnectionRow key={c.name} env={shownEnv} c={c} />
              ))}
            </ul>
            <button type="button" className="btn small" disabled={!shownEnv} onClick={() => useConnections.getState().set({ editing: 'new' })} data-testid="conn-new">
              New connection
            </button>
            <span className="muted small"> in {info.file}</span>
          </>
        )}
      </div>
    </div>
  );
}
