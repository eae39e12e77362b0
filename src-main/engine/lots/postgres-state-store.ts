import type pg from 'pg';
import { WeirError } from '../../../shared/errors';
import type { EngineContext } from '../context';
import { processLookup } from '../context';
import { closeClient, pgTarget, targetUri } from '../postgres/connect';
import { pgQualified } from '../postgres/sql';
import { connectionSpecFor, resolveConnection, type SecretLookup, type Workspace } from '../workspace/workspace';
import { withAttempt, type LotAttempt, type LotState, type LotStateStore } from './state-store';

/** One row per lot of a pipeline; the attempts as columns, so that a dashboard or a DBA can read them. */
const COLUMNS = ['succeeded_fingerprint', 'succeeded_run_id', 'succeeded_at', 'failed_fingerprint', 'failed_run_id', 'failed_at'] as const;

function createTable(table: string): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (`,
    '  pipeline text NOT NULL,',
    '  lot text NOT NULL,',
    ...COLUMNS.map((c) => `  ${c} text,`),
    '  updated_at timestamptz NOT NULL DEFAULT now(),',
    '  PRIMARY KEY (pipeline, lot)',
    ')',
  ].join('\n');
}

type Row = Record<(typeof COLUMNS)[number], string | null> & { lot: string };

function stateOf(row: Row): LotState {
  const s: LotState = { format: 'weir.lot', version: 1, key: row.lot };
  if (row.succeeded_fingerprint && row.succeeded_run_id && row.succeeded_at) s.succeeded = { fingerprint: row.succeeded_fingerprint, runId: row.succeeded_run_id, at: row.succeeded_at };
  if (row.failed_fingerprint && row.failed_run_id && row.failed_at) s.failed = { fingerprint: row.failed_fingerprint, runId: row.failed_run_id, at: row.failed_at };
  return s;
}

/**
 * Lot states in a PostgreSQL table (the workspace's `lot_states`; docs/lots.md), keyed by the
 * pipeline's workspace-relative file and the lot. The same interface and rules as the lake's
 * store: an attempt is recorded once the lot's run is over, a success only when the lot fully
 * succeeded. Each record is one transaction that locks the lot's row, merges the attempt
 * (the newer success wins, as in the lake) and writes it: two workers finishing the same lot
 * cannot lose each other's update.
 */
export class PostgresLotStateStore implements LotStateStore {
  private ready: Promise<void> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: pg.Client,
    private readonly table: string,
    private readonly pipeline: string,
    readonly where: string,
  ) {}

  private ensureTable(): Promise<void> {
    this.ready ??= this.client.query(createTable(this.table)).then(
      () => undefined,
      (e: { code?: string }) => {
        // Two workers creating it at once: the loser's CREATE fails on the catalog; the table is there.
        if (e.code !== '23505' && e.code !== '42P07') throw e;
      },
    );
    return this.ready;
  }

  async readAll(): Promise<Map<string, LotState>> {
    await this.ensureTable();
    const out = new Map<string, LotState>();
    const r = await this.client.query<Row>(`SELECT lot, ${COLUMNS.join(', ')} FROM ${this.table} WHERE pipeline = $1`, [this.pipeline]);
    for (const row of r.rows) out.set(row.lot, stateOf(row));
    return out;
  }

  record(key: string, outcome: 'succeeded' | 'failed', a: LotAttempt): Promise<void> {
    // One transaction at a time on the store's one connection (queries of two would interleave in it).
    const done = this.queue.then(() => this.recordNow(key, outcome, a));
    this.queue = done.catch(() => {});
    return done;
  }

  private async recordNow(key: string, outcome: 'succeeded' | 'failed', a: LotAttempt): Promise<void> {
    await this.ensureTable();
    await this.client.query('BEGIN');
    try {
      // The row first (an empty one for a new lot), then locked: concurrent writers of one lot take turns.
      await this.client.query(`INSERT INTO ${this.table} (pipeline, lot) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [this.pipeline, key]);
      const r = await this.client.query<Row>(`SELECT lot, ${COLUMNS.join(', ')} FROM ${this.table} WHERE pipeline = $1 AND lot = $2 FOR UPDATE`, [this.pipeline, key]);
      const next = withAttempt(r.rows[0] ? stateOf(r.rows[0]) : null, key, outcome, a);
      await this.client.query(
        `UPDATE ${this.table} SET ${COLUMNS.map((c, i) => `${c} = $${i + 3}`).join(', ')}, updated_at = now() WHERE pipeline = $1 AND lot = $2`,
        [this.pipeline, key, next.succeeded?.fingerprint ?? null, next.succeeded?.runId ?? null, next.succeeded?.at ?? null, next.failed?.fingerprint ?? null, next.failed?.runId ?? null, next.failed?.at ?? null],
      );
      await this.client.query('COMMIT');
    } catch (e) {
      await this.client.query('ROLLBACK').catch(() => {});
      throw e;
    }
  }

  close(): void {
    void closeClient(this.client);
  }
}

/** The store the workspace's `lot_states` names, for one pipeline (its workspace-relative file) in one environment. */
export async function openPostgresLotStates(o: { engine: EngineContext; workspace: Workspace; environment: string; secrets: SecretLookup; pipeline: string }): Promise<PostgresLotStateStore> {
  const setting = o.workspace.file.lot_states!;
  const name = setting.connection;
  const spec = resolveConnection(name, connectionSpecFor(o.workspace, o.environment, name), o.secrets);
  if (spec.kind !== 'postgres') throw new WeirError('invalid', `${o.workspace.filePath ?? 'weir.workspace.json'}: lot_states.connection "${name}" is a ${spec.kind} connection in environment "${o.environment}"; lot states need a postgres one`);
  const target = pgTarget(name, spec, processLookup(o.engine));
  const client = await o.engine.clients.postgres(target, { session: { purpose: 'lot-state', detail: o.pipeline } });
  return new PostgresLotStateStore(client, pgQualified(setting.schema, setting.table), o.pipeline, targetUri(target, setting.schema, setting.table));
}
