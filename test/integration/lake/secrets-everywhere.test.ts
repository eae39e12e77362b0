import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/run/record';
import { appendAuditRecord } from '../../../src-main/engine/audit/audit-log';
import { runWeir, type CliResult } from '../../support/cli';
import { filesUnder } from '../../support/find-files';
import { startHttpServer, type TestHttpServer } from '../../support/http-server';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { ACCESS_DENIED_XML, S3RVER_KEY, startS3Proxy, type S3Proxy, type S3TestServer } from '../../support/s3-server';
import { tempDir } from '../../support/temp-dir';

const BUCKET = uniqueBucket('lake');

/**
 * Distinctive values planted in every place a secret can live: a path segment of a base URL
 * given whole by `${env:API_URL}` (with user info), a query value, a header (with characters
 * that encode differently), an S3 secret key (from `${env:...}` and from the AWS chain), a
 * session token, a PostgreSQL password (PGPASSWORD, right and wrong), the OpenLineage URL's
 * api_key. Pipelines that succeed and that fail (401, 500, unreachable, S3 403, PostgreSQL
 * refusing the password) run through the CLI in plain, --json and --debug modes; then
 * everything Weir wrote (stdout, stderr, the whole .weir tree: runs, audit log, reports,
 * caches; the lineage file; what the lineage endpoint received; `weir audit show/list`) is
 * searched for each value in every encoding. None may appear.
 */
const PATH_TOKEN = 'pth-7Kq2x9-in-path';
const QUERY_TOKEN = 'qry-3Mf8w1-in-query';
const HEADER = 'hdr-5Zb4v6+in/header=&"x';
const USER = 'usr-2Hn7c4';
const PASSWORD = 'pwd-8Tj1k5-userinfo';
const LAKE_SECRET = 'lake-6Rw3p0-secret-key';
const CHAIN_SECRET = 'chain-4Xe9m2-aws-secret';
const SESSION = 'sess-1Vd5q8-aws-token';
const OL_KEY = 'olk-9Gs6t3-lineage-key';
const PG_WRONG = 'pgwrong-2Lc8n4-password';

/** Every way a value may be written: as is, percent-, form-, JSON-, HTML-escaped, base64. */
function encodings(v: string): string[] {
  return [
    ...new Set([
      v,
      encodeURIComponent(v),
      new URLSearchParams([['k', v]]).toString().slice(2),
      JSON.stringify(v).slice(1, -1),
      v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
      Buffer.from(v).toString('base64').replace(/=+$/, ''),
      Buffer.from(v).toString('base64url'),
    ]),
  ];
}

describe('no planted secret in anything Weir writes, after runs that succeed and runs that fail', () => {
  let api: TestHttpServer;
  let dead: TestHttpServer;
  let lineage: TestHttpServer;
  let s3: S3TestServer;
  let denied: S3Proxy;
  let pg: PostgresServer;
  let ws: string;
  let planted: string[];
  /** Everything the CLI printed. */
  const printed: string[] = [];

  const apiBase = (host: string) => `http://${USER}:${PASSWORD}@${host}/t/${PATH_TOKEN}/v1`;

  beforeAll(async () => {
    pg = await postgresDatabase();
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    await s3.put(BUCKET, 'raw/a.csv', Buffer.from('x\n1\n2\n'));
    denied = await startS3Proxy(s3.endpoint, () => ({ status: 403, body: ACCESS_DENIED_XML }));
    api = await startHttpServer((req) => {
      const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
      if (req.headers.authorization !== basic || req.headers['x-api-secret'] !== HEADER || req.url.searchParams.get('key') !== QUERY_TOKEN) return { status: 401, body: {} };
      const page = Number(req.url.searchParams.get('page') ?? 1);
      switch (req.url.pathname) {
        case `/t/${PATH_TOKEN}/v1/items`:
          // The next page's URL echoes the secrets, as many APIs do.
          return { body: { items: [{ id: page }], next: page < 2 ? `/t/${PATH_TOKEN}/v1/items?key=${QUERY_TOKEN}&page=2` : null } };
        case `/t/${PATH_TOKEN}/v1/denied`:
          return { status: 401, body: { message: 'bad token' } };
        case `/t/${PATH_TOKEN}/v1/broken`:
          return { status: 500, body: { message: 'broken' } };
        default:
          return { status: 404, body: {} };
      }
    });
    dead = await startHttpServer(() => ({ status: 500 }));
    await dead.close();
    // The lineage endpoint refuses START events, so its URL lands in a run-record warning.
    lineage = await startHttpServer((req) => (req.body.includes('"START"') ? { status: 500, body: {} } : { status: 200, body: {} }));

    ws = tempDir('weir-secrets-everywhere-');
    const lake = (endpoint: string) => ({ kind: 's3', endpoint, bucket: BUCKET, access_key_id: S3RVER_KEY, secret_access_key: '${env:LAKE_SECRET}' });
    const environments = {
      dev: {
        connections: {
          api: { kind: 'http', base_url: '${env:API_URL}', headers: { 'x-api-secret': '${env:API_HEADER}' } },
          deadapi: { kind: 'http', base_url: '${env:DEAD_API_URL}', headers: { 'x-api-secret': '${env:API_HEADER}' } },
          lake: lake(s3.endpoint),
          deniedlake: lake(denied.endpoint),
          // No keys: the standard AWS chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN).
          chainlake: { kind: 's3', endpoint: s3.endpoint, bucket: BUCKET },
          // No password: PGPASSWORD.
          mart: { kind: 'postgres', host: pg.host, port: pg.port, database: pg.database, user: pg.user, sslmode: 'disable' },
        },
      },
    };
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments }));
    const source = (url: string, retries = 0) => ({
      id: 'api',
      name: 'from_api',
      kind: 'http_source',
      inputs: [],
      config: { connection: 'api', url, query: { key: '${env:API_QUERY}' }, records_path: 'items', retries, pagination: { type: 'next_url', next_url_path: 'next' } },
    });
    const pipeline = (name: string, nodes: unknown[]) => writeFileSync(join(ws, `${name}.weir.json`), JSON.stringify({ format: 'weir.pipeline', version: 1, name, nodes }));
    pipeline('ok', [
      source('items'),
      { id: 'lk', name: 'from_lake', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'raw/', glob: 'a.csv', format: 'csv' } },
      { id: 'ch', name: 'from_chain', kind: 'lake_source', inputs: [], config: { connection: 'chainlake', prefix: 'raw/', glob: 'a.csv', format: 'csv' } },
      { id: 'j', name: 'joined', kind: 'sql', inputs: ['api', 'lk', 'ch'], config: { sql: ['select a.id, l.x from from_api a join from_lake l on l.x = a.id join from_chain c on c.x = l.x'] } },
      { id: 'pgout', name: 'to_mart', kind: 'postgres_sink', inputs: ['j'], config: { connection: 'mart', table: 'joined', mode: 'replace' } },
      { id: 'lkout', name: 'to_lake', kind: 'lake_sink', inputs: ['j'], config: { connection: 'lake', path: 'curated/joined', format: 'parquet', order_by: ['id'] } },
    ]);
    pipeline('denied', [source('denied')]);
    pipeline('broken', [source('broken', 1)]);
    pipeline('unreachable', [{ ...source('items', 1), config: { ...source('items', 1).config, connection: 'deadapi' } }]);
    pipeline('s3denied', [{ id: 'lk', name: 'from_lake', kind: 'lake_source', inputs: [], config: { connection: 'deniedlake', prefix: 'raw/', glob: 'a.csv', format: 'csv' } }]);
    pipeline('pgdenied', [
      { id: 'g', name: 'rows', kind: 'sql', inputs: [], config: { sql: ['select 1 as x'] } },
      { id: 'pgout', name: 'to_mart', kind: 'postgres_sink', inputs: ['g'], config: { connection: 'mart', table: 'refused', mode: 'replace' } },
    ]);

    planted = [PATH_TOKEN, QUERY_TOKEN, HEADER, USER, PASSWORD, `${USER}:${PASSWORD}`, LAKE_SECRET, CHAIN_SECRET, SESSION, OL_KEY, PG_WRONG, pg.password];
  });
  afterAll(async () => {
    await api?.close();
    await lineage?.close();
    await denied?.close();
    await s3?.stop();
    await pg?.teardown();
  });

  function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      API_URL: apiBase(new URL(api.url).host),
      DEAD_API_URL: apiBase(new URL(dead.url).host),
      API_HEADER: HEADER,
      API_QUERY: QUERY_TOKEN,
      LAKE_SECRET,
      AWS_ACCESS_KEY_ID: S3RVER_KEY,
      AWS_SECRET_ACCESS_KEY: CHAIN_SECRET,
      AWS_SESSION_TOKEN: SESSION,
      AWS_REGION: 'us-east-1',
      PGPASSWORD: pg.password,
      WEIR_OPENLINEAGE_URL: `${lineage.url}/api/v1/lineage?api_key=${OL_KEY}`,
      WEIR_OPENLINEAGE_FILE: 'lineage.jsonl',
      ...extra,
    };
  }

  async function weir(args: string[], extra: Record<string, string> = {}): Promise<CliResult> {
    const res = await runWeir(args, { fromSource: true, env: env(extra) });
    printed.push(res.stdout, res.stderr);
    return res;
  }

  const MODES = [[], ['--json'], ['--debug']];

  it('a run that uses every secret succeeds in each mode (the servers checked them)', async () => {
    for (const mode of MODES) {
      const res = await weir(['run', join(ws, 'ok.weir.json'), '--no-cache', ...mode]);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
    }
    expect(await pg.query('SELECT count(*)::int AS n FROM public.joined')).toEqual([{ n: 2 }]);
    expect(lineage.seen.length).toBeGreaterThan(0);
  }, 180_000);

  it('runs that fail each say what happened in one line, in each mode', async () => {
    const failures: [string, RegExp, Record<string, string>?][] = [
      ['denied', /answered 401 Unauthorized/],
      ['broken', /answered 500 Internal Server Error after 1 retry/],
      ['unreachable', /cannot reach .*ECONNREFUSED/],
      ['s3denied', new RegExp(`access denied to bucket "${BUCKET}"`)],
      ['pgdenied', /password authentication failed/, { PGPASSWORD: PG_WRONG }],
    ];
    for (const [name, says, extra] of failures) {
      for (const mode of MODES) {
        const res = await weir(['run', join(ws, `${name}.weir.json`), ...mode], extra);
        expect(res.code).toBe(1);
        expect(res.stderr).toMatch(says);
        if (mode.length === 0) expect(res.stderr.trim().split('\n')).toHaveLength(1);
      }
    }
  }, 300_000);

  it('the audit trail stays intact and shows no secret', async () => {
    const verify = await weir(['audit', 'verify', '--workspace', ws]);
    expect(verify.stdout).toMatch(/^audit log intact: \d+ records/);
    expect(verify.code).toBe(0);
    const list = await weir(['audit', 'list', '--workspace', ws, '--json']);
    // Run records only (the log also holds publish intents, which name no pipeline here).
    const pipelines = ['broken', 'denied', 'ok', 'pgdenied', 's3denied', 'unreachable'];
    const entries = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { runId: string; pipeline?: string })
      .filter((e) => pipelines.includes(e.pipeline ?? ''));
    // 3 successful runs, 5 failing pipelines in 3 modes.
    expect(entries).toHaveLength(18);
    // One run of each pipeline, shown as text and as JSON (their output is searched below).
    const lastOf = new Map(entries.map((e) => [e.pipeline, e.runId]));
    expect([...lastOf.keys()].sort()).toEqual(pipelines);
    for (const id of lastOf.values()) {
      for (const json of [[], ['--json']]) {
        const shown = await weir(['audit', 'show', id, '--workspace', ws, ...json]);
        expect(shown.stderr).toBe('');
        expect(shown.code).toBe(0);
      }
    }
  }, 300_000);

  it('no planted value, in any encoding, in anything Weir wrote', () => {
    const written: [string, Buffer][] = [
      ...filesUnder(join(ws, '.weir')).map((f): [string, Buffer] => [`.weir/${f}`, readFileSync(join(ws, '.weir', f))]),
      ['lineage.jsonl', readFileSync(join(ws, 'lineage.jsonl'))],
      ...printed.map((p, i): [string, Buffer] => [`cli output ${i}`, Buffer.from(p)]),
      ...lineage.seen.map((r, i): [string, Buffer] => [`lineage POST ${i}`, Buffer.from(r.body)]),
    ];
    // What was searched is really there: runs, the audit log, reports, the caches.
    const names = written.map(([n]) => n).join('\n');
    for (const part of ['.weir/runs/', '.weir/audit/log.jsonl', '.weir/reports/', '.weir/cache/']) expect(names).toContain(part);
    const found: string[] = [];
    for (const value of planted) {
      for (const form of encodings(value)) {
        for (const [name, bytes] of written) if (bytes.includes(form)) found.push(`${JSON.stringify(form)} (${value}) in ${name}`);
      }
    }
    expect(found).toEqual([]);
    // The masks are there instead: the base URL by its origin, the lineage endpoint's key.
    const records = filesUnder(join(ws, '.weir', 'runs')).map((f) => readFileSync(join(ws, '.weir', 'runs', f), 'utf8')).join('\n');
    expect(records).toContain(`${api.url}/***/items?key=***`);
    expect(records).toMatch(/OpenLineage START event refused by http:\/\/127\.0\.0\.1:\d+\/\*\*\*: HTTP 500/);
  });
});

describe('weir audit show masks an entry written before secrets were masked by value', () => {
  it("with every value the workspace's connections resolve to", async () => {
    const ws = tempDir('weir-secrets-legacy-');
    const connections = { api: { kind: 'http', base_url: '${env:LEGACY_API_URL}' }, lake: { kind: 's3', bucket: 'lake', secret_access_key: '${env:LEGACY_LAKE_SECRET}' } };
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: { prod: { connections } } }));
    const url = `https://api.example/t/${PATH_TOKEN}/v1`;
    const record = {
      format: 'weir.run',
      version: 1,
      runId: '20260101T000000Z-legacy',
      pipeline: { name: 'old', file: 'old.weir.json', sha256: '0'.repeat(64), gitCommit: null, gitDirty: null },
      environment: 'prod',
      params: {},
      selection: null,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
      durationMs: 1000,
      status: 'failed',
      user: 'u',
      host: 'h',
      weirVersion: '0',
      duckdbVersion: '0',
      nodes: [{ id: 'a', name: 'from_api', kind: 'http_source', status: 'failed', rows: null, durationMs: 1, outputHash: null, cached: false, error: `GET ${url}/items answered 500`, inputs: [{ uri: `${url}/items`, size: 1 }] }],
      warnings: [`signed with ${LAKE_SECRET}`],
    } as unknown as RunRecord;
    await appendAuditRecord(ws, record);
    const env = { LEGACY_API_URL: url, LEGACY_LAKE_SECRET: LAKE_SECRET };
    for (const json of [[], ['--json']]) {
      const shown = await runWeir(['audit', 'show', '20260101T000000Z-legacy', '--workspace', ws, ...json], { fromSource: true, env });
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('https://api.example/***');
      for (const v of [PATH_TOKEN, LAKE_SECRET]) expect(shown.stdout).not.toContain(v);
    }
  }, 60_000);
});
