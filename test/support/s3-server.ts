import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** s3rver's default credentials (it checks signatures made with them). */
export const S3RVER_KEY = 'S3RVER';

export interface S3TestServer {
  endpoint: string;
  port: number;
  /** A client for test set-up and checks (path-style, checksums only when required). */
  client: S3Client;
  createBucket(name: string): Promise<void>;
  put(bucket: string, key: string, body: string | Buffer): Promise<void>;
  /** Stops the server; a later stop is a no-op. */
  stop(): Promise<void>;
}

// Runs in the child: s3rver on 127.0.0.1, port 0, printing the port it got.
const CHILD = `
const S3rver = require(process.env.S3RVER_PATH);
new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.env.S3RVER_DIR })
  .run()
  .then(({ port }) => process.stdout.write(JSON.stringify({ port }) + '\\n'))
  .catch((e) => { console.error(e); process.exit(1); });
`;

export function s3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * Starts s3rver in a child Node process. It runs with --openssl-legacy-provider because
 * s3rver 3.7 fails on listings with a continuation token otherwise (DESIGN, pitfalls).
 */
export async function startS3Server(): Promise<S3TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-s3rver-'));
  const require = createRequire(import.meta.url);
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', CHILD], {
    env: { ...process.env, S3RVER_PATH: require.resolve('s3rver'), S3RVER_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('exit', (code) => reject(new Error(`s3rver exited (${code}): ${err}`)));
    child.on('error', reject);
  });
  let stopped: Promise<void> | null = null;
  return s3TestServer(`http://127.0.0.1:${port}`, (client) => {
    stopped ??= (async () => {
      client.destroy();
      await killChild(child);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  });
}

/** A server at `endpoint` with a client of its own; `stop` decides what stopping means. */
export function s3TestServer(endpoint: string, stop: (client: S3Client) => Promise<void>): S3TestServer {
  const client = s3Client(endpoint);
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async put(bucket, key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    stop: () => stop(client),
  };
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export type ProxyDecision = 'forward' | { status: number; body?: string; contentType?: string };

export interface S3Proxy {
  endpoint: string;
  /** `METHOD path?query` of every request seen. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * A small HTTP proxy on 127.0.0.1 in front of the test S3 server. `decide` may answer a
 * request itself (a 403, since s3rver does not enforce access), or hold it (await) before
 * it is forwarded, to slow an upload down.
 */
export async function startS3Proxy(target: string, decide: (req: IncomingMessage) => ProxyDecision | Promise<ProxyDecision>): Promise<S3Proxy> {
  const t = new URL(target);
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.on('error', () => {});
    res.on('error', () => {});
    void Promise.resolve(decide(req)).then(
      (d) => {
        if (res.destroyed || req.destroyed) return;
        if (d !== 'forward') {
          res.writeHead(d.status, { 'content-type': d.contentType ?? 'application/xml' });
          res.end(d.body ?? '');
          req.resume();
          return;
        }
        const up = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
        });
        up.on('error', () => res.destroy());
        req.on('close', () => {
          if (!req.complete) up.destroy();
        });
        req.pipe(up);
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The body S3 and MinIO send with a 403. */
export const ACCESS_DENIED_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>test</RequestId></Error>';
