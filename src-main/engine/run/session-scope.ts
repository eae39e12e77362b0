import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ParamSpec } from '../../../shared/pipeline/schema';
import type { DuckdbFactory } from '../context';
import { processTag } from '../storage/owner-tag';
import { scratchRoot } from '../sandbox/allowed-dirs';
import { Session } from '../duckdb/session';
import { setParamVariables, type ParamValue } from './params';

export interface SessionScope {
  session: Session;
  /** Run-scoped scratch folder, removed when the scope ends. */
  scratchDir: string;
  /** Another connection on the session, with the parameters set (DuckDB variables belong to a connection). */
  connect(): Promise<DuckDBConnection>;
}

export interface SessionScopeOptions {
  /** Prefix of the scratch folder's name under the scratch root (it carries the run id); the process's tag follows it. */
  scratchPrefix: string;
  /** The folders DuckDB may touch (sandbox/allowed-dirs.ts): it picks the locked instance. */
  allowed: readonly string[];
  /** The engine context's DuckDB instances. */
  duckdb: DuckdbFactory;
  signal: AbortSignal;
  specs: Record<string, ParamSpec>;
  params: Record<string, ParamValue>;
}

/**
 * The life of a run's (or a preview's) session: opened with a scratch folder, interrupted
 * on abort, parameters set on its main connection; closed and its scratch folder removed
 * whatever `use` does.
 */
export async function withSession<T>(opts: SessionScopeOptions, use: (scope: SessionScope) => Promise<T>): Promise<T> {
  const session = await Session.open(await opts.duckdb(opts.allowed));
  await mkdir(scratchRoot(), { recursive: true, mode: 0o700 });
  // `<prefix>w<host>-<pid>-XXXXXX`: a killed run's folder says its process is gone (gc/temp-litter.ts).
  const scratchDir = await mkdtemp(join(scratchRoot(), `${opts.scratchPrefix}${processTag()}-`));
  const onAbort = () => session.interrupt();
  opts.signal.addEventListener('abort', onAbort);
  try {
    await setParamVariables(session.main, opts.specs, opts.params);
    const connect = async () => {
      const conn = await session.connect();
      await setParamVariables(conn, opts.specs, opts.params);
      return conn;
    };
    return await use({ session, scratchDir, connect });
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    await session.close();
    await rm(scratchDir, { recursive: true, force: true });
  }
}
