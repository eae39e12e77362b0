import type { ConnectionKind } from '../../../shared/connections/define';
import type { connectionKinds, ConnectionKindName, ConnectionSpec } from '../../../shared/connections/kinds';
import type { Clients, ClientOptions, ClientRole, ConnectionRuntime, ProbeContext } from './define';
import { folderConnectionRuntime } from './folder';
import { httpConnectionRuntime } from './http';
import { postgresConnectionRuntime } from './postgres';
import { s3ConnectionRuntime } from './s3';

type KindDefinition<K extends ConnectionKindName> = Extract<(typeof connectionKinds)[number], { kind: K }>;

/** One engine half per shared kind: a kind without one, or typed against another kind's definition, does not compile. */
export const connectionRuntimes = {
  folder: folderConnectionRuntime,
  s3: s3ConnectionRuntime,
  postgres: postgresConnectionRuntime,
  http: httpConnectionRuntime,
} satisfies { [K in ConnectionKindName]: ConnectionRuntime<KindDefinition<K>> };

/** A kind's runtime seen from code that holds a spec of any kind, told apart by what it provides. */
export type AnyConnectionRuntime = {
  [R in ClientRole]: {
    definition: ConnectionKind;
    provides: R;
    test(ctx: ProbeContext<ConnectionSpec>): Promise<string>;
    client(name: string, spec: ConnectionSpec, o: ClientOptions): Promise<Clients[R]>;
  };
}[ClientRole];

/** The runtime of a spec's kind. */
export function runtimeFor(spec: ConnectionSpec): AnyConnectionRuntime {
  // TypeScript cannot pair the runtime and the spec through the union; they are paired by
  // spec.kind, so each runtime is only ever handed a spec of its own kind.
  return connectionRuntimes[spec.kind] as unknown as AnyConnectionRuntime;
}

/** The kinds whose client plays `role` (for messages such as "a lake node needs a folder or s3 connection"). */
export function kindsProviding(role: ClientRole): ConnectionKindName[] {
  return Object.values(connectionRuntimes)
    .filter((r) => r.provides === role)
    .map((r) => r.definition.kind);
}
