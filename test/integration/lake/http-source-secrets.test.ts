import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../shared/run/events';
import { auditLogPath } from '../../../src-main/engine/audit/audit-log';
import { runPipelineFile } from '../../support/engine';
import { startHttpServer, type HttpReply, type TestHttpServer } from '../../support/http-server';
import { tempDir } from '../../support/temp-dir';

// Secrets in every place an http source takes one: the connection's base_url (a path
// segment) and a header, the node's url (a query value) and a header of its own.
const BASE_KEY = 'base-7f3a91-in-the-path';
const CONN_HEADER = 'hdr-c0ffee-in-a-header';
const URL_TOKEN = 'tok-9d2e44-in-the-url';
const NODE_HEADER = 'node-hdr-51ab-in-a-header';
const ALL = [BASE_KEY, CONN_HEADER, URL_TOKEN, NODE_HEADER];

describe('http_source keeps secrets out of what a run leaves behind', () => {
  let api: TestHttpServer;
  let ws: string;

  beforeAll(async () => {
    api = await startHttpServer((req): HttpReply => {
      if (req.headers['x-key'] !== CONN_HEADER || req.headers['x-node'] !== NODE_HEADER) return { status: 401, body: {} };
      if (req.url.searchParams.get('token') !== URL_TOKEN) return { status: 401, body: {} };
      const page = Number(req.url.searchParams.get('page') ?? 1);
      switch (req.url.pathname) {
        case `/k/${BASE_KEY}/entries`:
          // The next page's URL carries both secrets again, as many APIs echo them.
          return {
            body: { items: [{ id: page }], next: page < 2 ? `/k/${BASE_KEY}/entries?token=${URL_TOKEN}&page=${page + 1}` : null },
          };
        case `/k/${BASE_KEY}/broken`:
          return { status: 500, body: { message: 'broken' } };
        default:
          return { status: 404, body: {} };
      }
    });
    ws = tempDir('weir-http-secrets-');
    const environments = {
      dev: { connections: { vault: { kind: 'http', base_url: `${api.url}/k/\${env:VAULT_BASE_KEY}`, headers: { 'x-key': '${env:VAULT_CONN_HEADER}' } } } },
    };
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments }));
  });
  afterAll(async () => {
    await api?.close();
  });

  // As the desktop app's keychain does: node-level references resolve here too, not only
  // the connection's (none of these is in process.env).
  const secrets = (name: string) =>
    ({
      VAULT_BASE_KEY: BASE_KEY,
      VAULT_CONN_HEADER: CONN_HEADER,
      VAULT_URL_TOKEN: URL_TOKEN,
      VAULT_NODE_HEADER: NODE_HEADER,
      WEIR_OPENLINEAGE_FILE: 'lineage.jsonl',
    })[name];

  async function run(name: string, path: string) {
    const file = join(ws, `${name}.weir.json`);
    const source = {
      connection: 'vault',
      url: `${path}?token=\${env:VAULT_URL_TOKEN}`,
      headers: { 'x-node': '${env:VAULT_NODE_HEADER}' },
      records_path: 'items',
      retries: 0,
      pagination: { type: 'next_url', next_url_path: 'next' },
    };
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir.pipeline',
        version: 1,
        name,
        nodes: [
          { id: 'src', name: 'readings', kind: 'http_source', inputs: [], config: source },
          { id: 'out', name: 'out_readings', kind: 'file_sink', inputs: ['src'], config: { path: `${name}.csv`, format: 'csv' } },
        ],
      }),
    );
    const events: RunEvent[] = [];
    const out = await runPipelineFile({ file, secrets, useCache: false, onEvent: (e) => events.push(e) });
    expect(out.recordPath).not.toBeNull();
    // Everything a run leaves: its record file, the audit log, the lineage events, its events.
    const left = [
      readFileSync(out.recordPath!, 'utf8'),
      readFileSync(auditLogPath(ws), 'utf8'),
      existsSync(join(ws, 'lineage.jsonl')) ? readFileSync(join(ws, 'lineage.jsonl'), 'utf8') : '',
      JSON.stringify(events),
      out.error?.message ?? '',
    ].join('\n');
    return { out, left };
  }

  const expectNoSecret = (text: string) => {
    for (const s of ALL) expect(text).not.toContain(s);
  };

  it('masks them in the page URLs of a successful run', async () => {
    const { out, left } = await run('ok', 'entries');
    expect(out.error?.message ?? null).toBeNull();
    // Both pages were read with the real values (the server checks them).
    expect(readFileSync(join(ws, 'ok.csv'), 'utf8').trim().split('\n')).toEqual(['id', '1', '2']);
    expect(out.record.nodes[0]!.inputs!.map((i) => i.uri)).toEqual([`${api.url}/k/***/entries?token=***`, `${api.url}/k/***/entries?token=***&page=2`]);
    expect(readFileSync(out.recordPath!, 'utf8')).toContain(`${api.url}/k/***/entries?token=***`);
    expect(readFileSync(join(ws, 'lineage.jsonl'), 'utf8')).not.toBe('');
    expectNoSecret(left);
  });

  it('masks them in the error of a run the server fails with 500', async () => {
    const { out, left } = await run('broken', 'broken');
    expect(out.status).toBe('failed');
    expect(out.error!.message).toBe(`node "readings": connection "vault": GET ${api.url}/k/***/broken?token=*** answered 500 Internal Server Error`);
    expect(readFileSync(out.recordPath!, 'utf8')).toContain(`${api.url}/k/***/broken?token=***`);
    expect(readFileSync(auditLogPath(ws), 'utf8')).toContain(`${api.url}/k/***/broken?token=***`);
    expectNoSecret(left);
  });

  it('masks them in the error of a run the server answers 404', async () => {
    const { out, left } = await run('missing', 'missing');
    expect(out.status).toBe('failed');
    expect(out.error!.message).toBe(`node "readings": connection "vault": GET ${api.url}/k/***/missing?token=*** answered 404 Not Found`);
    expectNoSecret(left);
  });
});
