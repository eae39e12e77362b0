import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineConnectionKind } from '../../../../shared/connections/define';
import { crossOriginPolicy } from '../../../../shared/connections/http';
import { connectionKind, connectionKinds, connectionSpec } from '../../../../shared/connections/kinds';
import { crossOrigin } from '../../../../shared/nodes/http-source';
import { fieldShape } from '../../../../shared/connections/schema-fields';
import { secretsInClear } from '../../../../shared/connections/secrets';
import { workspaceV1 } from '../../../../shared/workspace/schema';

const byKind = Object.fromEntries(connectionKinds.map((k) => [k.kind, k]));
/** The fields a file could write a credential into: every text field of the kind. */
const stringFields = (kind: string) => {
  const shape = byKind[kind]!.schema.shape as Record<string, z.ZodType>;
  return Object.keys(shape).filter((f) => f !== 'kind' && fieldShape(shape[f]!).base === 'string');
};

describe('the connection kinds', () => {
  it('make the same weir.workspace.json schema as before they were definitions', () => {
    // The workspace file is a contract with git and servers. If it changes on purpose, write the
    // new expected file from z.toJSONSchema(workspaceV1, { io: 'input' }) and say so in the commit.
    const expected = JSON.parse(readFileSync(new URL('./workspace-schema.expected.json', import.meta.url), 'utf8'));
    expect(z.toJSONSchema(workspaceV1, { io: 'input' })).toEqual(expected);
  });

  it('are the four kinds, each one entry of the workspace union, found by name', () => {
    expect(connectionKinds.map((k) => k.kind)).toEqual(['folder', 's3', 'postgres', 'http']);
    expect(connectionKinds.map((k) => k.label)).toEqual(['Local folder', 'S3 / MinIO', 'PostgreSQL', 'HTTP API']);
    for (const k of connectionKinds) {
      expect(connectionKind(k.kind)).toBe(k);
      expect(connectionSpec.options).toContain(k.schema);
    }
    expect(connectionSpec.options).toHaveLength(connectionKinds.length);
    expect(connectionKind('ftp')).toBeUndefined();
  });

  it('declare their secrets: exactly the credential fields, and the credential headers of http', () => {
    expect(Object.fromEntries(connectionKinds.map((k) => [k.kind, k.secrets]))).toEqual({
      folder: [],
      s3: ['access_key_id', 'secret_access_key', 'session_token'],
      postgres: ['password'],
      http: [],
    });
    const headers = byKind.http!.secretEntries!;
    expect(headers.field).toBe('headers');
    for (const h of ['Authorization', 'x-api-key', 'X-Auth-Token', 'Cookie', 'client_secret', 'x-key']) expect(headers.names.test(h), h).toBe(true);
    for (const h of ['Accept', 'User-Agent', 'x-keyboard']) expect(headers.names.test(h), h).toBe(false);
    for (const k of connectionKinds.filter((k) => k.kind !== 'http')) expect(k.secretEntries).toBeNull();
  });

  it('declare where a server is: a PostgreSQL host and port in clear, an endpoint or base URL by its origin', () => {
    expect(Object.fromEntries(connectionKinds.map((k) => [k.kind, k.locations]))).toEqual({
      folder: {},
      s3: { endpoint: 'origin' },
      postgres: { host: 'value', port: 'value' },
      http: { base_url: 'origin' },
    });
  });

  it('list the form fields in the form order, read how each is edited from the schema, and write files in schema order', () => {
    const form = (kind: string) => byKind[kind]!.form.map((f) => `${f.key}:${f.input}${f.required ? '!' : ''}`);
    expect(form('folder')).toEqual(['path:text!']);
    expect(form('s3')).toEqual(['bucket:text!', 'endpoint:text', 'region:text', 'root:text', 'force_path_style:bool', 'access_key_id:secret', 'secret_access_key:secret', 'session_token:secret']);
    expect(form('postgres')).toEqual(['host:text', 'port:number', 'database:text', 'user:text', 'password:secret', 'sslmode:select']);
    expect(form('http')).toEqual(['base_url:text!']);
    const sslmode = byKind.postgres!.form.find((f) => f.key === 'sslmode')!;
    expect(sslmode.options).toEqual(['', 'disable', 'prefer', 'require', 'verify-ca', 'verify-full']);
    expect(sslmode.emptyOption).toBe('(PGSSLMODE or prefer)');
    expect(byKind.s3!.form.find((f) => f.key === 'force_path_style')!.default).toBe(true);
    for (const k of connectionKinds) {
      expect(k.fileOrder).toEqual(Object.keys(k.schema.shape));
      // Every secret can be given in the form, so the designer can keep it in the keychain.
      for (const s of k.secrets) expect(k.form.find((f) => f.key === s)?.input).toBe('secret');
    }
  });

  it('take their defaults from the schema', () => {
    expect(byKind.s3!.defaults).toEqual({ region: 'us-east-1', force_path_style: true, root: '' });
    expect(byKind.http!.defaults).toEqual({ headers: {} });
    expect(byKind.folder!.defaults).toEqual({});
    // What the schema fills in is what the definition says it does.
    for (const k of connectionKinds) {
      const filled = k.schema.partial().parse({ kind: k.kind });
      for (const [f, v] of Object.entries(k.defaults)) expect((filled as Record<string, unknown>)[f]).toEqual(v);
    }
  });

  it("give http connections the same cross-origin choices as the http source node, which overrides them", () => {
    // Two enums until the node kind imports the connection's (shared/connections imports nothing from shared/nodes).
    expect(crossOriginPolicy.options).toEqual(crossOrigin.options);
  });

  it('say in one line where a connection points', () => {
    expect(byKind.folder!.describe({ kind: 'folder', path: 'data' })).toBe('data');
    expect(byKind.s3!.describe({ kind: 's3', bucket: 'lake', root: 'cgt/', endpoint: 'http://minio:9000' })).toBe('s3://lake/cgt/ at http://minio:9000');
    expect(byKind.postgres!.describe({ kind: 'postgres', host: 'db', port: 5433, database: 'qc' })).toBe('$PGUSER@db:5433/qc');
    expect(byKind.http!.describe({ kind: 'http', base_url: 'https://api.example/v1' })).toBe('https://api.example/v1');
  });
});

describe('secretsInClear', () => {
  it('names each declared secret written in clear, and only those', () => {
    for (const k of connectionKinds) {
      for (const f of stringFields(k.kind)) {
        const spec = { kind: k.kind, [f]: 'plain-value' };
        expect(secretsInClear(spec), `${k.kind}.${f}`).toEqual(k.secrets.includes(f) ? [`${f} must be a \${env:NAME} reference`] : []);
        expect(secretsInClear({ kind: k.kind, [f]: '${env:SOME_NAME}' })).toEqual([]);
      }
    }
    expect(secretsInClear({ kind: 'http', base_url: 'https://x', headers: { Authorization: 'Bearer abc', Accept: 'application/json', 'x-api-key': '${env:K}' } })).toEqual([
      'header "Authorization" carries a credential and must be a ${env:NAME} reference',
    ]);
    expect(secretsInClear({ kind: 'ftp', password: 'x' })).toEqual([]);
  });
});

describe('defineConnectionKind', () => {
  const schema = z.strictObject({ kind: z.literal('demo'), url: z.string(), token: z.string().optional(), size: z.number().optional() });
  const base = { kind: 'demo' as const, label: 'Demo', schema, form: [{ key: 'url' as const, label: 'URL' }], describe: () => '' };

  it('refuses a definition that cannot be right, naming the kind', () => {
    expect(() => defineConnectionKind({ ...base, kind: 'other' })).toThrow('connection kind "other": its schema must have `kind: z.literal(kind)`');
    expect(() => defineConnectionKind({ ...base, secrets: ['token'] })).toThrow('connection kind "demo": secret "token" must be a form field');
    expect(() => defineConnectionKind({ ...base, form: [...base.form, { key: 'size', label: 'Size' }], secrets: ['size'] })).toThrow('secret "size" must be a string');
    expect(() => defineConnectionKind({ ...base, form: [...base.form, { key: 'token', label: 'Token' }], secrets: ['token'], locations: { token: 'value' } })).toThrow(
      '"token" cannot be both a secret and a location',
    );
    expect(() => defineConnectionKind({ ...base, form: [{ key: 'nope' as 'url', label: 'x' }] })).toThrow('form field "nope" is not a field of its schema');
    expect(() => defineConnectionKind({ ...base, form: [base.form[0]!, base.form[0]!] })).toThrow('a form field is listed twice');
  });

  it('makes a new kind from its schema and hints alone', () => {
    const demo = defineConnectionKind({ ...base, form: [...base.form, { key: 'token', label: 'Token' }, { key: 'size', label: 'Size' }], secrets: ['token'] });
    expect(demo.form.map((f) => [f.key, f.input, f.required])).toEqual([
      ['url', 'text', true],
      ['token', 'secret', false],
      ['size', 'number', false],
    ]);
    expect(demo.fileOrder).toEqual(['kind', 'url', 'token', 'size']);
  });
});
