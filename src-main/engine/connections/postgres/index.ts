import { postgresConnectionKind } from '../../../../shared/connections/postgres';
import { WeirError } from '../../../../shared/errors';
import { openClient, pgTarget } from '../../postgres/connect';
import { pgErrorMessage } from '../../postgres/errors';
import { defineConnectionRuntime } from '../define';

/** A PostgreSQL server: the test answers `select 1`; the client is the target (fields left out filled from PG*), opened with openClient. */
export const postgresConnectionRuntime = defineConnectionRuntime(postgresConnectionKind, {
  provides: 'postgres',
  client: async (name, spec, o) => pgTarget(name, spec, o.env ?? (() => undefined)),
  async test({ name, spec, signal, timeoutMs, env }) {
    // Fields left out fall back to the PG* variables of the process, exactly as a run does.
    const target = pgTarget(name, spec, env);
    const client = await openClient(target, { session: { purpose: 'test', detail: name, statementTimeoutMs: timeoutMs }, connectTimeoutMs: timeoutMs });
    const onAbort = () => void client.end().catch(() => undefined);
    signal.addEventListener('abort', onAbort);
    try {
      const r = await client.query<{ one: number; version: string }>("select 1 as one, current_setting('server_version') as version");
      if (r.rows[0]?.one !== 1) throw new WeirError('connection', `connection "${name}": select 1 did not answer 1`);
      return `PostgreSQL ${r.rows[0].version} at ${target.host}:${target.port}/${target.database} as ${target.user} answered select 1`;
    } catch (e) {
      if (e instanceof WeirError) throw e;
      throw new WeirError('connection', `connection "${name}": ${pgErrorMessage(e, target)}`);
    } finally {
      signal.removeEventListener('abort', onAbort);
      await client.end().catch(() => undefined);
    }
  },
});
