import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { ConnectionEntryDto } from '../../../shared/api/connection-schemas';
import { connectionKinds } from '../../../shared/connections/kinds';

// The form's module graph reaches the API client, which picks a transport from `window` at load.
vi.mock('../../../src-renderer/api/client', () => ({ api: { call: vi.fn(), on: vi.fn() } }));
const { ConnectionForm } = await import('../../../src-renderer/connections/ConnectionForm');
const { summarize, kindLabel } = await import('../../../src-renderer/connections/connection-fields');

const render = (entry: ConnectionEntryDto | null) => renderToStaticMarkup(createElement(ConnectionForm, { environment: 'dev', entry }));
const entry = (kind: string, spec: Record<string, unknown> = {}): ConnectionEntryDto => ({ name: 'c', kind, spec: { kind, ...spec }, refs: [], problem: null });

/** The ids of the form's field inputs, in the order the page shows them. */
const fieldIds = (html: string) => [...html.matchAll(/<(?:input|select)[^>]*\sid="conn-([a-z_]+)"/g)].map((m) => m[1]!).filter((id) => id !== 'name' && id !== 'kind');

describe('the connection form reads the kinds\' definitions', () => {
  it('offers every kind, by its label, in the definitions\' order', () => {
    const html = render(null);
    const options = [...html.matchAll(/<option value="([a-z0-9_]+)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], m[2]]);
    expect(options.slice(0, connectionKinds.length)).toEqual(connectionKinds.map((k) => [k.kind, k.label]));
    expect(kindLabel('s3')).toBe('S3 / MinIO');
    expect(kindLabel('ftp')).toBe('ftp');
  });

  it('shows each kind\'s fields in the declared order, its secrets as password inputs kept by name', () => {
    for (const k of connectionKinds) {
      const html = render(entry(k.kind));
      expect(fieldIds(html), k.kind).toEqual(k.form.map((f) => f.key));
      for (const f of k.form) {
        const input = new RegExp(`<input[^>]*id="conn-${f.key}"[^>]*>`).exec(html)?.[0] ?? '';
        if (k.secrets.includes(f.key)) {
          expect(input, `${k.kind}.${f.key}`).toContain('type="password"');
          // The name it is kept under in the keychain, from the connection's and the field's names.
          expect(html).toContain(`value="${`C_${f.key}`.toUpperCase()}"`);
        } else expect(input, `${k.kind}.${f.key}`).not.toContain('type="password"');
      }
      // A kind with secret entries (http headers) gets their editor; the others do not.
      expect(html.includes('conn-headers'), k.kind).toBe(k.secretEntries !== null);
    }
  });

  it('shows a boolean\'s schema default, a select\'s empty option by its hint, and a header that carries a credential as a secret', () => {
    const s3 = render(entry('s3', { bucket: 'lake' }));
    expect(/<input[^>]*id="conn-force_path_style"[^>]*checked=""/.test(s3)).toBe(true);
    expect(render(entry('postgres'))).toContain('(PGSSLMODE or prefer)');
    const http = render(entry('http', { base_url: 'https://api.example', headers: { Authorization: '${env:API_TOKEN}', Accept: 'application/json' } }));
    expect(http).toContain('>Headers<');
    const rows = [...http.matchAll(/<div class="header-row">.*?<\/div>/g)].map((m) => m[0]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('type="password"');
    expect(rows[1]).toContain('value="application/json"');
    expect(rows[1]).not.toContain('type="password"');
  });

  it('summarizes a connection by its kind\'s one line', () => {
    for (const k of connectionKinds) expect(summarize({ kind: k.kind, path: 'p', bucket: 'b', base_url: 'https://x', host: 'h' })).toBe(k.describe({ kind: k.kind, path: 'p', bucket: 'b', base_url: 'https://x', host: 'h' }));
    expect(summarize({ kind: 'ftp' })).toBe('');
  });
});
