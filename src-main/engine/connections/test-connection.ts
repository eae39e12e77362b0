import { WeirError } from '../../../shared/errors';
import type { ConnectionSpec } from '../../../shared/workspace/schema';
import { lookupWith, processLookup, type EngineContext } from '../context';
import { SecretValues } from '../http/redact';
import { resolveConnection, type SecretLookup } from '../workspace/workspace';
import { runtimeFor } from './runtimes';

export interface TestConnectionRequest {
  /** The workspace's name for the connection, for messages. */
  name: string;
  /** As written in the workspace file: `${env:NAME}` references are resolved here. */
  spec: ConnectionSpec;
  workspaceRoot: string;
  /** Looks `${env:NAME}` up before the engine context does (which, in the desktop, asks the keychain first). */
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
 * Tries a connection the cheapest way that proves it works, as its kind's engine half says
 * (connections/<kind>/: a folder exists; an S3 bucket lists one object; PostgreSQL answers
 * `select 1`; an HTTP API answers a GET of its base URL). Never throws: a failure is
 * `ok: false` with the one-line reason.
 */
export async function testConnection(engine: EngineContext, req: TestConnectionRequest): Promise<TestConnectionResult> {
  const t0 = performance.now();
  const timeoutMs = req.timeoutMs ?? 10_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const done = (ok: boolean, message: string): TestConnectionResult => ({ ok, message: oneLine(message), elapsedMs: Math.round(performance.now() - t0) });
  const secrets = new SecretValues();
  try {
    const spec = resolveConnection(req.name, req.spec, secrets.remembering(lookupWith(engine, req.secrets)));
    const message = await runtimeFor(spec).test({ name: req.name, spec, workspaceRoot: req.workspaceRoot, signal, timeoutMs, env: processLookup(engine) });
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
