import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { connectionKinds } from '../../../shared/connections/kinds';
import { fieldShape } from '../../../shared/connections/schema-fields';
import { makeService, makeWorkspace } from './fixture';

/** The connections API reads each kind's definition: which fields it refuses in clear, and the order it writes. */
let ws: Awaited<ReturnType<typeof makeWorkspace>>;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

/** The least a valid connection of each kind needs. */
const minimal: Record<string, Record<string, unknown>> = {
  folder: { kind: 'folder', path: 'data' },
  s3: { kind: 's3', bucket: 'lake' },
  postgres: { kind: 'postgres' },
  http: { kind: 'http', base_url: 'https://api.example/v1' },
};

describe('the connections API and the kinds\' definitions', () => {
  it('has a minimal connection here for every kind', () => {
    expect(Object.keys(minimal)).toEqual(connectionKinds.map((k) => k.kind));
  });

  it('refuses in clear exactly the fields a kind declares secrets, and keeps their references', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    for (const k of connectionKinds) {
      const shape = k.schema.shape as Record<string, z.ZodType>;
      for (const field of Object.keys(shape).filter((f) => f !== 'kind' && fieldShape(shape[f]!).base === 'string')) {
        const save = (value: string) => call('connections.save', { root: ws.root, environment: 'dev', name: 'c', previousName: 'c', spec: { ...minimal[k.kind], [field]: value } });
        if (k.secrets.includes(field)) {
          await expect(save('in-clear-value'), `${k.kind}.${field}`).rejects.toThrow(`connection "c": ${field} must be a \${env:NAME} reference`);
          const info = await save('${env:C_SECRET}');
          expect(info.environments[0].connections[0].spec[field]).toBe('${env:C_SECRET}');
        } else {
          // http's base_url must stay a URL; any other text field takes a plain value.
          const value = field === 'base_url' ? 'https://plain.example/v2' : 'plain-value';
          const info = await save(value);
          expect(info.environments[0].connections[0].spec[field], `${k.kind}.${field}`).toBe(value);
        }
      }
    }
    expect(await readFile(join(ws.root, 'weir.workspace.json'), 'utf8')).not.toContain('in-clear-value');
  });

  it('writes every kind\'s fields in its schema\'s order, whatever order they came in', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const full: Record<string, Record<string, unknown>> = {
      folder: { path: 'data', kind: 'folder' },
      s3: { part_size_mb: 8, root: 'cgt/', secret_access_key: '${env:S}', access_key_id: '${env:A}', force_path_style: false, region: 'eu-west-1', endpoint: 'http://minio:9000', bucket: 'lake', kind: 's3' },
      postgres: { sslmode: 'require', password: '${env:P}', user: 'weir', database: 'qc', port: 5432, host: 'db', kind: 'postgres' },
      http: { cross_origin: 'refuse', headers: { 'x-api-key': '${env:K}' }, base_url: 'https://api.example/v1', kind: 'http' },
    };
    for (const k of connectionKinds) {
      const info = await call('connections.save', { root: ws.root, environment: 'dev', name: k.kind, spec: full[k.kind] });
      const saved = info.environments[0].connections.find((c: { name: string }) => c.name === k.kind).spec;
      expect(Object.keys(saved)).toEqual(k.fileOrder.filter((f) => f in full[k.kind]!));
    }
  });
});
