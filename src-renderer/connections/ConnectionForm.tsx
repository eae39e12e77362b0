import { useState, type JSX } from 'react';
import type { ConnectionEntryDto } from '../../shared/api/connection-schemas';
import { identifier } from '../../shared/nodes/common';
import { saveConnection, testConnection, type ConnectionDraft } from './connection-actions';
import { testKey, useConnections } from './connections-store';
import type { SecretEntries } from '../../shared/connections/define';
import { connectionKind } from '../../shared/connections/kinds';
import { CONNECTION_KINDS, formFields, refName, secretNameFor, type FormField } from './connection-fields';
import { TestResult } from './TestResult';

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

interface SecretState {
  /** The keychain name the file refers to (`${env:NAME}`). */
  name: string;
  /** A value typed now (empty: keep what is stored, or leave the field out). */
  value: string;
  /** The file already refers to a secret here. */
  existing: boolean;
}

/** One entry of a kind's secret-entries field (an HTTP header): a secret entry goes to the keychain. */
interface HeaderRow {
  name: string;
  value: string;
  secret: boolean;
  ref: string;
  existing: boolean;
}

const entriesOf = (kind: string): SecretEntries | null => connectionKind(kind)?.secretEntries ?? null;

function initialSecrets(kind: string, spec: Record<string, unknown>, conn: string): Record<string, SecretState> {
  const out: Record<string, SecretState> = {};
  for (const f of formFields(kind).filter((f) => f.input === 'secret')) {
    const ref = refName(spec[f.key]);
    out[f.key] = { name: ref ?? secretNameFor(conn || 'conn', f.key), value: '', existing: !!ref };
  }
  return out;
}

function initialHeaders(kind: string, spec: Record<string, unknown>, conn: string): HeaderRow[] {
  const entries = entriesOf(kind);
  const field = entries ? spec[entries.field] : undefined;
  const h = field && typeof field === 'object' ? (field as Record<string, unknown>) : {};
  return Object.entries(h).map(([name, v]) => {
    const ref = refName(v);
    return { name, value: ref ? '' : String(v), secret: !!ref || !!entries?.names.test(name), ref: ref ?? secretNameFor(conn || 'conn', name), existing: !!ref };
  });
}

/** Builds the spec for the file (references only) and the secret values to store first. */
function build(
  kind: string,
  plain: Record<string, string | boolean>,
  secrets: Record<string, SecretState>,
  headers: HeaderRow[],
  extras: Record<string, unknown>,
): { draft: Omit<ConnectionDraft, 'environment' | 'name' | 'previousName'> | null; problem: string | null } {
  // Settings the form has no field for (part sizes…) are kept as the file has them.
  const spec: Record<string, unknown> = { kind, ...extras };
  const values: Record<string, string> = {};
  for (const f of formFields(kind)) {
    if (f.input === 'secret') {
      const s = secrets[f.key]!;
      if (!s.value && !s.existing) continue;
      if (!SECRET_NAME.test(s.name)) return { draft: null, problem: `${f.label}: the secret's name must look like ${secretNameFor('mart', 'password')}` };
      spec[f.key] = `\${env:${s.name}}`;
      if (s.value) values[s.name] = s.value;
      continue;
    }
    const v = plain[f.key];
    if (f.input === 'bool') {
      spec[f.key] = v === undefined ? f.default === true : v;
      continue;
    }
    const text = typeof v === 'string' ? v.trim() : '';
    if (!text) {
      if (f.required) return { draft: null, problem: `${f.label} is required` };
      continue;
    }
    spec[f.key] = f.input === 'number' && /^\d+$/.test(text) ? Number(text) : text;
  }
  const entries = entriesOf(kind);
  if (entries) {
    const out: Record<string, string> = {};
    for (const h of headers) {
      if (!h.name.trim()) continue;
      if (h.secret) {
        if (!SECRET_NAME.test(h.ref)) return { draft: null, problem: `${entries.noun} ${h.name}: the secret's name must look like API_KEY` };
        if (!h.value && !h.existing) return { draft: null, problem: `${entries.noun} ${h.name}: type its value (it goes to the keychain)` };
        out[h.name.trim()] = `\${env:${h.ref}}`;
        if (h.value) values[h.ref] = h.value;
      } else out[h.name.trim()] = h.value;
    }
    spec[entries.field] = out;
  }
  return { draft: { spec, secrets: values }, problem: null };
}

function extrasOf(kind: string, spec: Record<string, unknown>): Record<string, unknown> {
  const entries = entriesOf(kind);
  const known = new Set(['kind', ...(entries ? [entries.field] : []), ...formFields(kind).map((f) => f.key)]);
  return Object.fromEntries(Object.entries(spec).filter(([k]) => !known.has(k)));
}

function PlainField({ f, value, onChange }: { f: FormField; value: string | boolean | undefined; onChange(v: string | boolean): void }): JSX.Element {
  const id = `conn-${f.key}`;
  if (f.input === 'bool') {
    return (
      <label className="conn-check">
        <input id={id} type="checkbox" checked={value === undefined ? f.default === true : !!value} onChange={(e) => onChange(e.target.checked)} /> {f.label}
      </label>
    );
  }
  return (
    <div className="conn-field">
      <label htmlFor={id}>
        {f.label}
        {f.required && <span className="req"> *</span>}
      </label>
      {f.input === 'select' ? (
        <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)}>
          {f.options!.map((o) => (
            <option key={o} value={o}>
              {o || f.emptyOption || '(not set)'}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} type="text" value={typeof value === 'string' ? value : ''} placeholder={f.placeholder} onChange={(e) => onChange(e.target.value)} data-testid={id} />
      )}
      {f.help && <div className="muted small">{f.help}</div>}
    </div>
  );
}

function SecretField({ f, s, onChange, source }: { f: FormField; s: SecretState; onChange(s: SecretState): void; source: string | null | undefined }): JSX.Element {
  return (
    <div className="conn-field secret">
      <label htmlFor={`conn-${f.key}`}>{f.label}</label>
      <div className="secret-row">
        <input
          id={`conn-${f.key}`}
          type="password"
          autoComplete="off"
          value={s.value}
          placeholder={s.existing ? (source ? `stored (${source}); type to replace` : 'not set yet: type the value') : 'type the value'}
          onChange={(e) => onChange({ ...s, value: e.target.value })}
          data-testid={`conn-${f.key}`}
        />
        <span className="muted small">kept as</span>
        <input className="secret-name mono" aria-label={`${f.label}: secret name`} value={s.name} onChange={(e) => onChange({ ...s, name: e.target.value })} />
      </div>
      {f.help && <div className="muted small">{f.help}</div>}
    </div>
  );
}

/**
 * Create or edit a connection. Plain fields go to weir.workspace.json; secret fields go to
 * the keychain (secrets.set) and the file gets `${env:NAME}` in their place, which is what a
 * headless run resolves from its environment.
 */
export function ConnectionForm({ environment, entry }: { environment: string; entry: ConnectionEntryDto | null }): JSX.Element {
  const firstKind = CONNECTION_KINDS[0]!.kind;
  const initialKind = entry?.kind ?? firstKind;
  const [name, setName] = useState(entry?.name ?? '');
  const [kind, setKind] = useState<string>(connectionKind(initialKind) ? initialKind : firstKind);
  const [plain, setPlain] = useState<Record<string, string | boolean>>(() => {
    const out: Record<string, string | boolean> = {};
    for (const [k, v] of Object.entries(entry?.spec ?? {})) if (typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    else if (typeof v === 'number') out[k] = String(v);
    return out;
  });
  const [secrets, setSecrets] = useState(() => initialSecrets(kind, entry?.spec ?? {}, entry?.name ?? ''));
  const [headers, setHeaders] = useState<HeaderRow[]>(() => initialHeaders(kind, entry?.spec ?? {}, entry?.name ?? ''));
  const [saving, setSaving] = useState(false);
  const test = useConnections((s) => s.tests[testKey(environment, `${name}#draft`)]);
  const sources = new Map(entry?.refs.map((r) => [r.name, r.source]) ?? []);

  const nameOk = identifier.safeParse(name).success;
  const extras = kind === initialKind ? extrasOf(kind, entry?.spec ?? {}) : {};
  const built = build(kind, plain, secrets, headers, extras);
  const problem = !name ? 'Give the connection a name' : !nameOk ? 'The name must be an identifier (letters, digits, _)' : built.problem;

  const entries = entriesOf(kind);
  const isSecretEntry = (n: string) => !!entries?.names.test(n);
  const changeKind = (k: string) => {
    setKind(k);
    setSecrets(initialSecrets(k, {}, name));
  };
  const changeName = (n: string) => {
    setName(n);
    // Secret names follow the connection's name until the file refers to them.
    setSecrets((cur) => Object.fromEntries(Object.entries(cur).map(([k, s]) => [k, s.existing ? s : { ...s, name: secretNameFor(n || 'conn', k) }])));
    setHeaders((cur) => cur.map((h) => (h.existing ? h : { ...h, ref: secretNameFor(n || 'conn', h.name) })));
  };
  const submit = async () => {
    if (problem || !built.draft) return;
    setSaving(true);
    await saveConnection({ environment, name, previousName: entry?.name, ...built.draft });
    setSaving(false);
  };

  return (
    <form
      className="conn-form"
      data-testid="connection-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h4>
        {entry ? `Edit ${entry.name}` : 'New connection'} <span className="muted">in {environment}</span>
      </h4>
      <div className="conn-grid">
        <div className="conn-field">
          <label htmlFor="conn-name">Name</label>
          <input id="conn-name" type="text" value={name} onChange={(e) => changeName(e.target.value)} className={name && !nameOk ? 'invalid' : ''} placeholder="lake" data-testid="conn-name" />
          <div className="muted small">what nodes refer to, in every environment</div>
        </div>
        <div className="conn-field">
          <label htmlFor="conn-kind">Kind</label>
          <select id="conn-kind" value={kind} onChange={(e) => changeKind(e.target.value)} disabled={!!entry} data-testid="conn-kind">
            {CONNECTION_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        {formFields(kind).map((f) =>
          f.input === 'secret' ? (
            <SecretField key={f.key} f={f} s={secrets[f.key]!} source={sources.get(secrets[f.key]!.name)} onChange={(s) => setSecrets({ ...secrets, [f.key]: s })} />
          ) : (
            <PlainField key={f.key} f={f} value={plain[f.key]} onChange={(v) => setPlain({ ...plain, [f.key]: v })} />
          ),
        )}
      </div>
      {entries && (
        <div className="conn-headers">
          <div className="field-label">{entries.label}</div>
          {headers.map((h, i) => (
            <div className="header-row" key={i}>
              <input aria-label={`${capital(entries.noun)} name`} placeholder={entries.placeholder} value={h.name} onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, name: e.target.value, secret: x.secret || isSecretEntry(e.target.value) } : x)))} />
              <input
                aria-label={`${capital(entries.noun)} value`}
                type={h.secret ? 'password' : 'text'}
                placeholder={h.secret && h.existing ? 'stored; type to replace' : 'value'}
                value={h.value}
                onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
              />
              <label className="small">
                <input type="checkbox" checked={h.secret} disabled={isSecretEntry(h.name)} onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, secret: e.target.checked } : x)))} /> secret
              </label>
              <button type="button" className="icon-btn" aria-label={`Remove ${entries.noun}`} onClick={() => setHeaders(headers.filter((_, j) => j !== i))}>
                ✕
              </button>
            </div>
          ))}
          <button type="button" className="btn small" onClick={() => setHeaders([...headers, { name: '', value: '', secret: false, ref: '', existing: false }])}>
            Add {entries.noun}
          </button>
        </div>
      )}
      <p className="muted small">Secrets go to the keychain, never to the file: it holds <code>{'${env:NAME}'}</code>, which a headless run reads from its environment.</p>
      {problem && name && <div className="field-issue">{problem}</div>}
      <div className="conn-actions">
        <button type="submit" className="btn primary small" disabled={!!problem || saving} data-testid="conn-save">
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn small" disabled={!!problem || test === 'testing'} onClick={() => built.draft && void testConnection(environment, name, built.draft)} data-testid="conn-test-draft">
          Test
        </button>
        <button type="button" className="btn small ghost" onClick={() => useConnections.getState().set({ editing: null })}>
          Cancel
        </button>
        <TestResult result={test} />
      </div>
    </form>
  );
}
