import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { connectionKinds, type ConnectionKindName, type ConnectionSpec } from '../../../shared/connections/kinds';
import { fieldShape } from '../../../shared/connections/schema-fields';
import { connectionRuntimes, kindsProviding, runtimeFor } from '../../../src-main/engine/connections/runtimes';
import { testConnection } from '../../support/engine';
import { runRedactor } from '../../../src-main/engine/context/run-secrets';
import { closeObjectStore, openObjectStore } from '../../../src-main/engine/storage/open-store';
import { resolveConnection } from '../../../src-main/engine/workspace/workspace';
import { tempDir } from '../../support/temp-dir';

const root = tempDir('weir-conn-kinds-');

/** A valid connection of each kind that needs no server to open. */
const samples: { [K in ConnectionKindName]: Extract<ConnectionSpec, { kind: K }> } = {
  folder: { kind: 'folder', path: 'data' },
  s3: { kind: 's3', bucket: 'lake', endpoint: 'http://127.0.0.1:9', region: 'us-east-1', force_path_style: true, root: 'cgt/' },
  postgres: { kind: 'postgres', host: 'db.lab', port: 5433, database: 'qc', user: 'weir', sslmode: 'disable' },
  http: { kind: 'http', base_url: 'https://user:pw@api.example/v1?key=k-1', headers: { accept: 'application/json' } },
};

describe('the engine halves of the connection kinds', () => {
  it('are one per shared kind, each typed against that kind\'s own definition', () => {
    expect(Object.keys(connectionRuntimes).sort()).toEqual(connectionKinds.map((k) => k.kind).sort());
    for (const k of connectionKinds) {
      expect(connectionRuntimes[k.kind].definition).toBe(k);
      expect(runtimeFor(samples[k.kind]).definition).toBe(k);
    }
    expect(kindsProviding('object-store')).toEqual(['folder', 's3']);
    expect(kindsProviding('postgres')).toEqual(['postgres']);
    expect(kindsProviding('http')).toEqual(['http']);
  });

  it('open a lake store for exactly the kinds whose half provides one', async () => {
    for (const k of connectionKinds) {
      const open = openObjectStore('c', samples[k.kind], { workspaceRoot: root });
      if (connectionRuntimes[k.kind].provides === 'object-store') {
        const store = await open;
        expect(store.kind).toBe(k.kind);
        closeObjectStore(store);
      } else {
        await expect(open).rejects.toThrow(`connection "c" is a ${k.kind} connection; a lake node needs a ${kindsProviding('object-store').join(' or ')} connection`);
      }
    }
  });

  it("give each kind's client: a store rooted where the connection says, a PostgreSQL target, an API base", async () => {
    const folder = await connectionRuntimes.folder.client('lake', samples.folder, { workspaceRoot: root });
    expect(folder.scope).toBe(`file://${join(root, 'data')}`);
    const s3 = await connectionRuntimes.s3.client('lake', samples.s3, { workspaceRoot: root });
    expect(s3.scope).toBe('http://127.0.0.1:9/lake');
    closeObjectStore(s3);

    const pg = await connectionRuntimes.postgres.client('mart', { kind: 'postgres', database: 'qc' }, { workspaceRoot: root, env: (n) => ({ PGHOST: 'from-env', PGUSER: 'analyst' })[n] });
    expect(pg).toMatchObject({ name: 'mart', host: 'from-env', port: 5432, database: 'qc', user: 'analyst' });

    const api = await connectionRuntimes.http.client('api', samples.http, { workspaceRoot: root });
    expect(api.url.href).toBe('https://user:pw@api.example/v1?key=k-1');
    // What may be shown: no user info, no query.
    expect(api.shown).toBe('https://api.example/v1');
    expect(api.crossOrigin).toBe('refuse');
    await expect(connectionRuntimes.http.client('api', { kind: 'http', base_url: 'ftp://x', headers: {} }, { workspaceRoot: root })).rejects.toThrow(
      'connection "api": bad base_url (expected a URL such as https://api.example/v1)',
    );
  });

  it('test a connection through its kind\'s half', async () => {
    expect(await testConnection({ name: 'lake', spec: { kind: 'folder', path: '.' }, workspaceRoot: root })).toMatchObject({ ok: true, message: `folder ${root} exists` });
    expect(await testConnection({ name: 'api', spec: { kind: 'http', base_url: 'mailto:x', headers: {} }, workspaceRoot: root })).toMatchObject({
      ok: false,
      message: 'connection "api": bad base_url (expected a URL such as https://api.example/v1)',
    });
  });
});

describe('resolving a connection masks every value but the locations its kind declares', () => {
  it('keeps a `value` location in clear, an `origin` location\'s origin only, and masks every other field and entry', () => {
    for (const k of connectionKinds) {
      const values: Record<string, string> = {};
      const spec: Record<string, unknown> = { kind: k.kind };
      const shape = k.schema.shape as Record<string, z.ZodType>;
      // Every field a `${env:NAME}` can stand in: text, a port, and the entries of a record (headers).
      for (const field of Object.keys(shape).filter((f) => f !== 'kind' && fieldShape(shape[f]!).base !== 'boolean')) {
        const name = `T_${k.kind}_${field}`.toUpperCase();
        const isRecord = fieldShape(shape[field]!).base === 'record';
        // A URL for origin locations (so that its origin can stay), a distinct token for the rest.
        values[name] = k.locations[field] === 'origin' ? `http://${k.kind}-origin.example:9000/p4th-${k.kind}-t0ken` : `${k.kind}-${field}-v4lue`;
        spec[field] = isRecord ? { 'x-extra': `\${env:${name}}` } : `\${env:${name}}`;
      }
      resolveConnection('c', spec as ConnectionSpec, (n) => values[n]);
      const masked = runRedactor(() => undefined);
      for (const [name, value] of Object.entries(values)) {
        const field = Object.keys(spec).find((f) => JSON.stringify(spec[f]).includes(name))!;
        const expected = k.locations[field] === 'value' ? value : k.locations[field] === 'origin' ? `http://${k.kind}-origin.example:9000/***` : '***';
        expect(masked.mask(value), `${k.kind}.${field}`).toBe(expected);
      }
    }
  });
});
