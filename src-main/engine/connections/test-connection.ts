import { stat } from 'node:fs/promises';
import { WeirError } from '../../../shared/errors';
import type { ConnectionSpec } from '../../../shared/workspace/schema';
import { openClient, pgTarget } from '../postgres/connect';
import { pgErrorMessage } from '../postgres/errors';
import { folderRoot } from '../storage/folder-store';
import { normalizePrefix } from '../storage/glob';
import { networkErrorCode } from '../storage/retry';
import { describeS3Error, displayEndpoint } from '../storage/s3-errors';
import { SecretValues } from '../http/redact';
import { resolveConnection, type SecretLookup } from '../workspace/workspace';

export interface TestConnectionRequest {
  /** The workspace's name for the connection, for messages. */
  name: string;
  /** As written in the workspace file: `${env:NAME}` references are resolved here. */
  spec: ConnectionSpec;
  workspaceRoot: string;
  /** Looks `${env:NAME}` up (the keychain first in the desktop app); default: the environment. */
  secrets?: SecretLookup;
  /** Gives up after this long (default 10 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface TestConnectionResult {
  ok: boolean;
  /** One line: what was reached, or why not. Never a secret. */
  message: string;
  elapsedMs: number;
}

/**
 * Tries a connection the cheapest way that proves it works: a folder exists; an S3 bucket
 * lists one object; PostgreSQL answers `select 1`; an HTTP API answers a GET of its base URL.
 * Never throws: a failure is `ok: false` with the one-line reason.
 */
export async function testConnection(req: TestConnectionRequest): Promise<TestConnectionResult> {
  const t0 = performance.now();
  const timeoutMs = req.timeoutMs ?? 10_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const done = (ok: boolean, message: string): TestConnectionResult => ({ ok, message: oneLine(message), elapsedMs: Math.round(performance.now() - t0) });
  const secrets = new SecretValues();
  try {
    const spec = resolveConnection(req.name, req.spec, secrets.remembering((n) => req.secrets?.(n) ?? process.env[n]));
    const message = await probe(req.name, spec, req.workspaceRoot, signal, timeoutMs);
    // What was reached may name a resolved value (a base URL's path, a user): masked too.
    return done(true, secrets.redact(message));
  } catch (e) {
    let message = e instanceof WeirError ? e.message : `connection "${req.name}": ${(e as Error)?.message ?? String(e)}`;
    if (timeout.aborted && !(req.signal?.aborted ?? false)) message = `connection "${req.name}": no answer within ${Math.round(timeoutMs / 1000)} s`;
    else if (req.signal?.aborted) message = `connection "${req.name}": test cancelled`;
    // A last guard: a resolved secret never reaches the message.
    return done(false, secrets.redact(message));
  }
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

async function probe(name: string, spec: ConnectionSpec, workspaceRoot: string, signal: AbortSignal, timeoutMs: number): Promise<string> {
  switch (spec.kind) {
    case 'folder':
      return probeFolder(name, folderRoot(workspaceRoot, spec.path));
    case 's3':
      return probeS3(name, spec, signal);
    case 'postgres':
      return probePostgres(name, spec, timeoutMs, signal);
    case 'http':
      return probeHttp(name, spec, signal);
  }
}

async function probeFolder(name: string, path: string): Promise<string> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new WeirError('connection', `connection "${name}": folder ${path} does not exist`);
  if (!st.isDirectory()) throw new WeirError('connection', `connection "${name}": ${path} is a file, expected a folder`);
  return `folder ${path} exists`;
}

async function probeS3(name: string, spec: Extract<ConnectionSpec, { kind: 's3' }>, signal: AbortSignal): Promise<string> {
  if (!spec.bucket) throw new WeirError('connection', `connection "${name}": no bucket given`);
  const endpoint = displayEndpoint(spec.endpoint);
  // Loaded here, not at start-up: the SDK takes a fifth of a second to load.
  const [{ ListObjectsV2Command }, { createS3Client }] = await Promise.all([import('@aws-sdk/client-s3'), import('../storage/s3-client')]);
  const client = createS3Client(spec, name);
  const prefix = normalizePrefix(spec.root);
  try {
    const page = await client.send(new ListObjectsV2Command({ Bucket: spec.bucket, Prefix: prefix, MaxKeys: 1 }), { abortSignal: signal });
    const any = (page.Contents?.length ?? 0) > 0;
    return `bucket "${spec.bucket}" at ${endpoint} answered${prefix ? ` under ${prefix}` : ''}: ${any ? 'objects found' : 'no objects yet'}`;
  } catch (e) {
    throw describeS3Error(e, { connection: name, bucket: spec.bucket, endpoint });
  } finally {
    client.destroy();
  }
}

async function probePostgres(name: string, spec: ConnectionSpec, timeoutMs: number, signal: AbortSignal): Promise<string> {
  // Fields left out fall back to the PG* variables of the process, exactly as a run does.
  const target = pgTarget(name, spec);
  const client = await openClient(target, { session: { purpose: 'test', detail: name, statementTimeoutMs: timeoutMs }, connectTimeoutMs: timeoutMs });
  const onAbort = () => void client.end().catch(() => undefined);
  signal.addEventListener('abort', onAbort);
  try {
    const r = await client.query<{ one: number; version: string }>('select 1 as one, current_setting(\'server_version\') as version');
    if (r.rows[0]?.one !== 1) throw new WeirError('connection', `connection "${name}": select 1 did not answer 1`);
    return `PostgreSQL ${r.rows[0].version} at ${target.host}:${target.port}/${target.database} as ${target.user} answered select 1`;
  } catch (e) {
    if (e instanceof WeirError) throw e;
    throw new WeirError('connection', `connection "${name}": ${pgErrorMessage(e, target)}`);
  } finally {
    signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}

async function probeHttp(name: string, spec: Extract<ConnectionSpec, { kind: 'http' }>, signal: AbortSignal): Promise<string> {
  let url: URL;
  try {
    url = new URL(spec.base_url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new WeirError('connection', `connection "${name}": bad base_url (expected a URL such as https://api.example/v1)`);
  }
  // The URL as it may be shown: no user info, no query (either may hold a key).
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  let res: Response;
  try {
    // Not followed: a redirect may lead to another origin, which must not get the headers.
    res = await fetch(url, { method: 'GET', headers: { accept: 'application/json', ...spec.headers }, signal, redirect: 'manual' });
  } catch (e) {
    if (signal.aborted) throw e;
    const code = networkErrorCode(e);
    throw new WeirError('connection', `connection "${name}": cannot reach ${shown} (${code ?? (e as Error).message})`);
  }
  await res.body?.cancel().catch(() => undefined);
  const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
  if (location) {
    const to = new URL(location, url);
    const where = to.origin === url.origin ? 'its own origin' : `${to.origin}, another origin (a run refuses it unless the connection sets "cross_origin")`;
    return `${shown} answered HTTP ${res.status}, a redirect to ${where}; not followed by the test`;
  }
  if (res.status === 401 || res.status === 403) {
    throw new WeirError('connection', `connection "${name}": ${shown} refused access (HTTP ${res.status} ${res.statusText}); check the headers`);
  }
  if (res.status >= 500) throw new WeirError('connection', `connection "${name}": ${shown} answered HTTP ${res.status} ${res.statusText}`);
  // A base URL that is not itself a resource (404, 405) still proves the server is there and
  // does not refuse us; the nodes add their own paths to it.
  if (res.status >= 400 && res.status !== 404 && res.status !== 405) {
    throw new WeirError('connection', `connection "${name}": ${shown} answered HTTP ${res.status} ${res.statusText}`);
  }
  return `${shown} answered HTTP ${res.status}${res.status >= 400 ? ' (the server is reachable; the base URL is not a resource itself)' : ''}`;
}
