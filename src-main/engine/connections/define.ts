import type { ConnectionKind, SpecOf } from '../../../shared/connections/define';
import type { EnvLookup, PgTarget } from '../postgres/connect';
import type { ObjectStore } from '../storage/object-store';
import type { S3StoreTuning } from '../storage/s3-store';
import type { HttpBase } from './http/base';

/**
 * The engine half of a connection kind (the shared half is shared/connections/<kind>/): how
 * the designer's Test button proves a connection works, and the client a node opens on it.
 */

/** What a kind's connection test is given: the connection with its `${env:NAME}` values resolved. */
export interface ProbeContext<Spec> {
  /** The workspace's name for the connection, for messages. */
  name: string;
  spec: Spec;
  workspaceRoot: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** The process's environment, where fields left out fall back to (PG*), as in a run. */
  env: EnvLookup;
}

export interface ClientOptions {
  workspaceRoot: string;
  /** For tests and benchmarks: smaller parts, fewer retries. */
  s3Tuning?: Partial<S3StoreTuning>;
  /** Where PG* fallbacks are read: the engine context's process's environment (context/index.ts processLookup); absent, none. */
  env?: EnvLookup;
}

/** What a kind's client is, by the role it plays for nodes: a lake, a database, an API. */
export interface Clients {
  /** Files by key (lake sources and sinks). */
  'object-store': ObjectStore;
  /** Where a server is and how to log in (opened with postgres/connect.ts openClient, with the session's settings). */
  postgres: PgTarget;
  /** The base URL and headers requests start from. */
  http: HttpBase;
}
export type ClientRole = keyof Clients;

export interface ConnectionRuntime<D extends ConnectionKind = ConnectionKind, R extends ClientRole = ClientRole> {
  definition: D;
  provides: R;
  /**
   * Tries the connection the cheapest way that proves it works. Resolves with one line saying
   * what was reached; throws a WeirError with one line saying why not. Never a secret.
   */
  test(ctx: ProbeContext<SpecOf<D>>): Promise<string>;
  /** The client nodes use, for a resolved connection of this kind. */
  client(name: string, spec: SpecOf<D>, o: ClientOptions): Promise<Clients[R]>;
}

/** The engine half of a kind, typed against its shared definition: its test and client take that kind's spec. */
export function defineConnectionRuntime<D extends ConnectionKind, R extends ClientRole>(
  definition: D,
  init: Omit<ConnectionRuntime<D, R>, 'definition'>,
): ConnectionRuntime<D, R> {
  return { definition, ...init };
}
