import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSpec } from '../../../shared/workspace/schema';
import { testConnection } from '../../support/engine';
import { postgresDatabase } from '../../support/postgres-database';
import { freePort, type PostgresServer } from '../../support/postgres-server';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { S3RVER_KEY, startS3Proxy, type S3Proxy, type S3TestServer } from '../../support/s3-server';
import { startHttpServer, type TestHttpServer } from '../../support/http-server';
import { tempDir } from '../../support/temp-dir';

const BUCKET = uniqueBucket('lake');
const EMPTY = uniqueBucket('empty');

/**
 * The connection test behind the designer's Connections panel, against real servers: a
 * local folder, s3rver on loopback, embedded PostgreSQL and a small HTTP server.
 */
const root = tempDir('weir-conn-');
mkdirSync(join(root, 'data', 'raw'), { recursive: true });
writeFileSync(join(root, 'notes.txt'), 'a file, not a folder');

const secrets = new Map<string, string>();
const lookup = (n: string) => secrets.get(n);
const test = (name: string, spec: ConnectionSpec, timeoutMs?: number) => testConnection({ name, spec, workspaceRoot: root, secrets: lookup, timeoutMs });

describe('folder connections', () => {
  it('passes for an existing folder, relative to the workspace or absolute', async () => {
    const rel = await test('lake', { kind: 'folder', path: 'data' });
    expect(rel).toMatchObject({ ok: true });
    expect(rel.message).toContain(join(root, 'data'));
    expect((await test('lake', { kind: 'folder', path: join(root, 'data', 'raw') })).ok).toBe(true);
  });

  it('fails for a missing folder or a file, naming the connection and the path', async () => {
    const missing = await test('lake', { kind: 'folder', path: 'nowhere' });
    expect(missing).toMatchObject({ ok: false, message: `connection "lake": folder ${join(root, 'nowhere')} does not exist` });
    const file = await test('lake', { kind: 'folder', path: 'notes.txt' });
    expect(file.ok).toBe(false);
    expect(file.message).toContain('is a file, expected a folder');
  });
});

describe('s3 connections', () => {
  let s3: S3TestServer;
  let proxy: S3Proxy;
  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    await s3.createBucket(EMPTY);
    await s3.put(BUCKET, 'raw/assays.csv', 'a,b\n1,2\n');
    proxy = await startS3Proxy(s3.endpoint, () => ({ status: 403, body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' }));
  });
  afterAll(async () => {
    await proxy?.close();
    await s3?.stop();
  });

  const spec = (over: Partial<Extract<ConnectionSpec, { kind: 's3' }>> = {}): ConnectionSpec => ({
    kind: 's3',
    endpoint: s3.endpoint,
    bucket: BUCKET,
    region: 'us-east-1',
    force_path_style: true,
    access_key_id: '${env:T_S3_KEY}',
    secret_access_key: '${env:T_S3_SECRET}',
    root: '',
    ...over,
  });

  it('lists one object with credentials resolved from the secret store', async () => {
    secrets.set('T_S3_KEY', S3RVER_KEY);
    secrets.set('T_S3_SECRET', S3RVER_KEY);
    const r = await test('lake', spec());
    expect(r).toMatchObject({ ok: true });
    expect(r.message).toContain(`bucket "${BUCKET}"`);
    expect(r.message).toContain('objects found');
    expect((await test('lake', spec({ bucket: EMPTY }))).message).toContain('no objects yet');
  });

  it('says which variable is unset, that a bucket is missing, that access is denied, or that the endpoint is unreachable', async () => {
    secrets.set('T_S3_KEY', S3RVER_KEY);
    secrets.delete('T_S3_SECRET');
    expect(await test('lake', spec())).toMatchObject({ ok: false, message: 'connection "lake": environment variable T_S3_SECRET is not set' });
    secrets.set('T_S3_SECRET', S3RVER_KEY);

    const missing = await test('lake', spec({ bucket: 'no-such-bucket' }));
    expect(missing).toMatchObject({ ok: false, message: `connection "lake": bucket "no-such-bucket" does not exist at ${s3.endpoint}` });

    const denied = await test('lake', spec({ endpoint: proxy.endpoint }));
    expect(denied.ok).toBe(false);
    expect(denied.message).toMatch(new RegExp(`^connection "lake": access denied to bucket "${BUCKET}"`));

    const port = await freePort();
    const down = await test('lake', spec({ endpoint: `http://127.0.0.1:${port}` }));
    expect(down.ok).toBe(false);
    expect(down.message).toContain(`cannot reach http://127.0.0.1:${port}`);
    expect(down.message).not.toContain('\n');
  });
});

describe('postgres connections', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await postgresDatabase();
  });
  afterAll(() => pg?.teardown());

  const spec = (over: Partial<Extract<ConnectionSpec, { kind: 'postgres' }>> = {}): ConnectionSpec => ({
    kind: 'postgres',
    host: pg.host,
    port: pg.port,
    database: pg.database,
    user: pg.user,
    password: '${env:T_PG_PASSWORD}',
    sslmode: 'disable',
    ...over,
  });

  it('answers select 1 with the password from the secret store', async () => {
    secrets.set('T_PG_PASSWORD', pg.password);
    const r = await test('mart', spec());
    expect(r).toMatchObject({ ok: true });
    expect(r.message).toMatch(new RegExp(`^PostgreSQL 17\\.\\S+ at 127\\.0\\.0\\.1:${pg.port}/${pg.database} as ${pg.user} answered select 1$`));
  });

  it('fails on a wrong password or a closed port in one line, without the password', async () => {
    secrets.set('T_PG_PASSWORD', 'not-the-password');
    const wrong = await test('mart', spec());
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toMatch(new RegExp(`^connection "mart" \\(${pg.user}@127\\.0\\.0\\.1:${pg.port}/${pg.database}\\): .*password authentication failed`));
    expect(wrong.message).not.toContain('not-the-password');
    expect(wrong.message).not.toContain(pg.password);

    secrets.set('T_PG_PASSWORD', pg.password);
    const port = await freePort();
    const closed = await test('mart', spec({ port }));
    expect(closed.ok).toBe(false);
    expect(closed.message).toContain('connection refused');
    expect(closed.message).not.toContain('\n');
  });
});

describe('http connections', () => {
  let api: TestHttpServer;
  beforeAll(async () => {
    api = await startHttpServer((req) => {
      if (req.url.pathname === '/v1') return req.headers['x-api-key'] === 'k-123' ? { body: { ok: true } } : { status: 401, body: { error: 'no key' } };
      if (req.url.pathname === '/broken') return { status: 503, body: 'down' };
      return { status: 404, body: { error: 'not found' } };
    });
  });
  afterAll(() => api?.close());

  it('passes when the base URL answers, with headers resolved from secrets', async () => {
    secrets.set('T_API_KEY', 'k-123');
    const r = await test('cgm', { kind: 'http', base_url: `${api.url}/v1`, headers: { 'x-api-key': '${env:T_API_KEY}' } });
    expect(r).toMatchObject({ ok: true, message: `${api.url}/v1 answered HTTP 200` });
    expect(api.seen.at(-1)?.headers['x-api-key']).toBe('k-123');
    // A base URL that is no resource itself still proves the server is there.
    expect((await test('cgm', { kind: 'http', base_url: `${api.url}/root`, headers: {} })).ok).toBe(true);
  });

  it('fails when access is refused, the server errs, or nothing listens', async () => {
    const refused = await test('cgm', { kind: 'http', base_url: `${api.url}/v1?key=secret-in-query`, headers: {} });
    expect(refused).toMatchObject({ ok: false, message: `connection "cgm": ${api.url}/v1 refused access (HTTP 401 Unauthorized); check the headers` });
    expect((await test('cgm', { kind: 'http', base_url: `${api.url}/broken`, headers: {} })).message).toContain('answered HTTP 503');
    const port = await freePort();
    const down = await test('cgm', { kind: 'http', base_url: `http://127.0.0.1:${port}/`, headers: {} });
    expect(down).toMatchObject({ ok: false, message: `connection "cgm": cannot reach http://127.0.0.1:${port}/ (ECONNREFUSED)` });
    expect((await test('cgm', { kind: 'http', base_url: 'not a url', headers: {} })).message).toContain('bad base_url');
  });

  it('masks a secret in the base URL path, whether the test passes or fails', async () => {
    secrets.set('T_PATH_KEY', 'path-key-3e8b');
    const passed = await test('cgm', { kind: 'http', base_url: `${api.url}/\${env:T_PATH_KEY}`, headers: {} });
    expect(passed).toMatchObject({ ok: true, message: `${api.url}/*** answered HTTP 404 (the server is reachable; the base URL is not a resource itself)` });
    expect(api.seen.at(-1)?.url.pathname).toBe('/path-key-3e8b');
    // The server's failing path, named by a secret this time.
    secrets.set('T_PATH_KEY', 'broken');
    const failed = await test('cgm', { kind: 'http', base_url: `${api.url}/\${env:T_PATH_KEY}`, headers: {} });
    expect(failed).toMatchObject({ ok: false, message: `connection "cgm": ${api.url}/*** answered HTTP 503 Service Unavailable` });
  });
});
