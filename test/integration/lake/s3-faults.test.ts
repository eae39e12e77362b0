import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WeirError } from '../../../shared/errors';
import type { RunEvent } from '../../../shared/run/events';
import { runPipelineFile } from '../../support/engine';
import { S3ObjectStore } from '../../../src-main/engine/storage/s3-store';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { S3RVER_KEY, type S3TestServer } from '../../support/s3-server';
import { tempDir } from '../../support/temp-dir';

const BUCKET = uniqueBucket('lake');

const INTERNAL_ERROR = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>';
const SLOW_DOWN = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';

/**
 * A proxy that forwards to the S3 test server, and for the requests `cut` picks sends the
 * answer's headers and only the first bytes of its body, then drops the connection: a
 * download cut short, not a server that cannot be reached.
 */
async function startCutProxy(target: string, cut: (req: IncomingMessage) => number | null): Promise<{ endpoint: string; close(): Promise<void> }> {
  const t = new URL(target);
  const server = createServer((req, res) => {
    res.on('error', () => {});
    const keep = cut(req);
    const up = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      if (keep === null) {
        ur.pipe(res);
        return;
      }
      let sent = 0;
      ur.on('data', (c: Buffer) => {
        if (sent >= keep) return;
        const piece = c.subarray(0, keep - sent);
        sent += piece.length;
        res.write(piece, () => {
          if (sent >= keep) res.socket?.destroy();
        });
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function oneLineError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(WeirError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('S3 faults: errors say the operation, the key and the retries; the run record counts them', () => {
  let s3: S3TestServer;
  let proxy: FaultProxy;
  const BIG = randomBytes(200_000);
  const stores: S3ObjectStore[] = [];

  const store = (endpoint: string, retries: string[] = []) => {
    const s = new S3ObjectStore(
      'lake',
      { kind: 's3', bucket: BUCKET, endpoint, region: 'us-east-1', force_path_style: true, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY, root: '' },
      { retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, onRetry: (m) => retries.push(m) },
    );
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    await s3.put(BUCKET, 'raw/a.csv', Buffer.from('x\n1\n2\n'));
    await s3.put(BUCKET, 'raw/b.csv', Buffer.from('x\n3\n'));
    await s3.put(BUCKET, 'raw/big.bin', BIG);
    proxy = await startFaultProxy(s3.endpoint);
  });
  afterEach(() => proxy.clear());
  afterAll(async () => {
    for (const s of stores) s.destroy();
    await proxy?.close();
    await s3?.stop();
  });

  it('a PUT answered 500 every time: one line with the operation, the key and 3 retries', async () => {
    proxy.add({ method: 'PUT', path: new RegExp(`^/${BUCKET}/curated/x\\.json$`), action: { kind: 'answer', status: 500, body: INTERNAL_ERROR } });
    const retries: string[] = [];
    const msg = await oneLineError(store(proxy.endpoint, retries).putBytes('curated/x.json', Buffer.from('{}')));
    expect(msg).toBe(
      `connection "lake": PUT s3://${BUCKET}/curated/x.json failed after 3 retries: the server answered HTTP 500 (InternalError: We encountered an internal error. Please try again.)`,
    );
    expect(retries).toEqual([1, 2, 3].map((n) => expect.stringMatching(new RegExp(`^connection "lake": PUT s3://${BUCKET}/curated/x\\.json: HTTP 500 InternalError, retry ${n} of 3 in \\d+ ms$`))));
  });

  it('a listing answered 503: names the prefix', async () => {
    proxy.add({ method: 'GET', path: new RegExp(`^/${BUCKET}/?$`), action: { kind: 'answer', status: 503, body: SLOW_DOWN } });
    const msg = await oneLineError(store(proxy.endpoint).list('raw/'));
    expect(msg).toBe(`connection "lake": list s3://${BUCKET}/raw/ failed after 3 retries: the server answered HTTP 503 (SlowDown: Please reduce your request rate.)`);
  });

  it('a GET that fails twice and then works: the download succeeds, both retries reported', async () => {
    proxy.add({ method: 'GET', path: new RegExp(`^/${BUCKET}/raw/a\\.csv$`), action: { kind: 'answer', status: 503, body: SLOW_DOWN }, times: 2 });
    const retries: string[] = [];
    const got = await store(proxy.endpoint, retries).getBytes('raw/a.csv');
    expect(got?.body.toString()).toBe('x\n1\n2\n');
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatch(new RegExp(`^connection "lake": GET s3://${BUCKET}/raw/a\\.csv: HTTP 503 SlowDown, retry 1 of 3 in \\d+ ms$`));
  });

  it('a download cut short every time is reported as such, not as an unreachable server', async () => {
    const cut = await startCutProxy(s3.endpoint, (req) => (req.method === 'GET' && req.url?.startsWith(`/${BUCKET}/raw/big.bin`) ? 50_000 : null));
    try {
      const s = store(cut.endpoint);
      const [info] = await s.list('raw/big');
      const msg = await oneLineError(s.download(info!, join(tempDir('weir-s3-cut-'), 'big.bin')));
      expect(msg).toMatch(new RegExp(`^connection "lake": GET s3://${BUCKET}/raw/big\\.bin failed after 3 retries: the connection to ${cut.endpoint} dropped mid-download \\(\\w+\\)$`));
      expect(msg).not.toContain('cannot reach');
    } finally {
      await cut.close();
    }
  });

  it('a download cut short once is retried and arrives whole', async () => {
    let cuts = 0;
    const cut = await startCutProxy(s3.endpoint, (req) => (req.method === 'GET' && req.url?.startsWith(`/${BUCKET}/raw/big.bin`) && cuts++ === 0 ? 10_000 : null));
    try {
      const retries: string[] = [];
      const s = store(cut.endpoint, retries);
      const [info] = await s.list('raw/big');
      const dest = join(tempDir('weir-s3-cut-'), 'big.bin');
      await s.download(info!, dest);
      expect(retries).toEqual([expect.stringMatching(new RegExp(`^connection "lake": GET s3://${BUCKET}/raw/big\\.bin: \\w+ mid-download, retry 1 of 3 in \\d+ ms$`))]);
    } finally {
      await cut.close();
    }
  });

  describe('through a run', () => {
    let ws: string;
    beforeAll(() => {
      ws = tempDir('weir-s3-faults-');
      const lake = { kind: 's3', endpoint: proxy.endpoint, bucket: BUCKET, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY };
      writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections: { lake } } } }));
      // One object per test: what a run downloads stays in the object cache for the next.
      for (const f of ['a', 'b']) {
        writeFileSync(
          join(ws, `read_${f}.weir.json`),
          JSON.stringify({
            format: 'weir.pipeline',
            version: 1,
            name: `read_${f}`,
            nodes: [{ id: 'src', name: 'raw_a', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'raw/', glob: `${f}.csv`, format: 'csv' } }],
          }),
        );
      }
    });
    const run = async (f: 'a' | 'b') => {
      const events: RunEvent[] = [];
      const out = await runPipelineFile({ file: join(ws, `read_${f}.weir.json`), useCache: false, recordDir: null, onEvent: (e) => events.push(e) });
      const warnings = events.flatMap((e) => (e.type === 'node_warning' ? [e.message] : []));
      return { out, warnings };
    };

    it('retries that worked are counted in the record, each one a warning naming the request', async () => {
      proxy.add({ method: 'GET', path: new RegExp(`^/${BUCKET}/raw/a\\.csv$`), action: { kind: 'answer', status: 503, body: SLOW_DOWN }, times: 2 });
      const { out, warnings } = await run('a');
      expect(out.error?.message ?? null).toBeNull();
      expect(out.record.nodes[0]!.rows).toBe(2);
      expect(out.record.nodes[0]!.retries).toBe(2);
      expect(warnings).toEqual([1, 2].map((n) => expect.stringMatching(new RegExp(`^connection "lake": GET s3://${BUCKET}/raw/a\\.csv: HTTP 503 SlowDown, retry ${n} of 3 in \\d+ ms$`))));
    });

    it('retries that did not: the node fails with one line, and the record counts them', async () => {
      proxy.add({ method: 'GET', path: new RegExp(`^/${BUCKET}/raw/b\\.csv$`), action: { kind: 'answer', status: 500, body: INTERNAL_ERROR } });
      const { out } = await run('b');
      expect(out.status).toBe('failed');
      expect(out.error!.message).toBe(
        `node "raw_a": connection "lake": GET s3://${BUCKET}/raw/b.csv failed after 3 retries: the server answered HTTP 500 (InternalError: We encountered an internal error. Please try again.)`,
      );
      expect(out.record.nodes[0]!.retries).toBe(3);
      expect(out.record.nodes[0]!.error).toContain(`GET s3://${BUCKET}/raw/b.csv failed after 3 retries`);
    });
  });
});
