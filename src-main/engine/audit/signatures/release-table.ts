import type pg from 'pg';
import { WeirError } from '../../../../shared/errors';
import type { ReleaseStateName } from '../../../../shared/gxp/signers';
import { closeClient, openClient, pgTarget, type PgTarget } from '../../postgres/connect';
import { pgIdent, pgQualified } from '../../postgres/sql';
import { connectionSpecFor, resolveConnection, type SecretLookup, type Workspace } from '../../workspace/workspace';
import { readAuditEntries } from '../audit-log';
import { readAuditConfig } from '../anchor/config';
import { currentState, signaturesOf } from './release-state';
import { gxpTrailOf, stateKeyOf, type GxpTrail } from './trail';

/**
 * The release-state table (weir.audit.json `releaseTable`): every lot's (or, unpartitioned,
 * run's) current release state copied into a PostgreSQL table that dashboards read, e.g.
 * `WHERE state = 'released'`. A workspace-level setting rather than a `postgres_sink` option:
 * states change when someone signs, and a signing has no pipeline or sink in hand; the table
 * follows the trail (which says which lots exist and what state each is in), not one
 * pipeline's output. It is a copy: the audit trail is the source of truth (`weir audit
 * verify`), and a row carries the audit seq and hash of the entry it copies so it can be
 * checked against it. Refreshed in one transaction, each row only forward (a slower refresh
 * never overwrites a newer one).
 */
export interface ReleaseRow {
  lot: string;
  state: ReleaseStateName;
  runId: string;
  pipeline: string;
  recordSha256: string;
  /** When the state was set; null while pending. */
  stateSince: string | null;
  /** The state entry's seq and hash; while pending, the run record entry's. */
  auditSeq: number;
  auditHash: string;
  /** The newest trail entry the row reflects (its state, its run, their signatures): a refresh only moves a row forward. */
  trailSeq: number;
  signatures: { signerId: string; signerName: string; meaning: string; signedAt: string; comment: string }[];
}

/** One row per key of the trail: its current state, and the run (and its signatures) that state is about. */
export function releaseRows(t: GxpTrail, hashes: ReadonlyMap<number, string>): ReleaseRow[] {
  const keys = [...new Set(t.runs.map(stateKeyOf))];
  return keys.map((key) => {
    const s = currentState(t, key);
    const entry = s.since ? t.states.find((x) => x.seq === s.since!.seq) : undefined;
    const run = entry
      ? [...t.runs].reverse().find((r) => r.runId === entry.payload.runId && r.recordSha256 === entry.payload.recordSha256)!
      : [...t.runs].reverse().find((r) => stateKeyOf(r) === key)!;
    const seq = entry?.seq ?? run.seq;
    const signatures = signaturesOf(t, run);
    return {
      lot: key,
      state: s.state,
      runId: run.runId,
      pipeline: run.record.pipeline.name,
      recordSha256: run.recordSha256,
      stateSince: s.since?.at ?? null,
      auditSeq: seq,
      auditHash: hashes.get(seq) ?? '',
      trailSeq: Math.max(seq, ...signatures.map((x) => x.seq)),
      signatures: signatures.map((x) => ({ signerId: x.payload.signerId, signerName: x.payload.signerName, meaning: x.payload.meaning, signedAt: x.payload.signedAt, comment: x.payload.comment })),
    };
  });
}

export interface ReleaseTableResult {
  table: string;
  rows: number;
}

type Open = (t: PgTarget) => Promise<pg.Client>;

/** Refreshes the release-state table weir.audit.json names; null when it names none. */
export async function publishReleaseTable(ws: Workspace, lookup: SecretLookup, open?: Open): Promise<ReleaseTableResult | null> {
  const config = (await readAuditConfig(ws.root)).releaseTable;
  if (!config) return null;
  const name = config.connection;
  const spec = resolveConnection(name, connectionSpecFor(ws, config.environment ?? ws.file.default_environment, name), lookup);
  const target = pgTarget(name, spec, lookup);
  const entries = await readAuditEntries(ws.root);
  const rows = releaseRows(gxpTrailOf(entries), new Map(entries.map((e) => [e.seq, e.hash])));
  const table = pgQualified(config.schema, config.table);
  const client = await (open ?? ((t) => openClient(t, { session: { purpose: 'publish', detail: 'release states' } })))(target);
  try {
    await client.query('BEGIN');
    // Two refreshes creating the table at once would collide in pg_type: the second waits here.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`weir release table ${config.schema}.${config.table}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${pgIdent(config.schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${table} (lot text PRIMARY KEY, state text NOT NULL, run_id text NOT NULL, pipeline text NOT NULL, record_sha256 text NOT NULL, state_since timestamptz, audit_seq bigint NOT NULL, audit_hash text NOT NULL, trail_seq bigint NOT NULL, signer_names text[] NOT NULL, signatures jsonb NOT NULL, updated_at timestamptz NOT NULL)`,
    );
    await client.query(`COMMENT ON TABLE ${table} IS ${literal("Release states copied from the Weir audit trail for dashboards. The trail is the source of truth: check a row's audit_seq and audit_hash with weir audit verify.")}`);
    for (const r of rows) {
      await client.query(
        `INSERT INTO ${table} AS t (lot, state, run_id, pipeline, record_sha256, state_since, audit_seq, audit_hash, trail_seq, signer_names, signatures, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, now())
         ON CONFLICT (lot) DO UPDATE SET state = EXCLUDED.state, run_id = EXCLUDED.run_id, pipeline = EXCLUDED.pipeline, record_sha256 = EXCLUDED.record_sha256,
           state_since = EXCLUDED.state_since, audit_seq = EXCLUDED.audit_seq, audit_hash = EXCLUDED.audit_hash, trail_seq = EXCLUDED.trail_seq, signer_names = EXCLUDED.signer_names,
           signatures = EXCLUDED.signatures, updated_at = EXCLUDED.updated_at
         WHERE t.trail_seq < EXCLUDED.trail_seq`,
        [r.lot, r.state, r.runId, r.pipeline, r.recordSha256, r.stateSince, r.auditSeq, r.auditHash, r.trailSeq, [...new Set(r.signatures.map((s) => s.signerName))], JSON.stringify(r.signatures)],
      );
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new WeirError('connection', `release-state table ${config.schema}.${config.table} (connection "${name}") was not refreshed: ${(e as Error).message}`);
  } finally {
    await closeClient(client);
  }
  return { table: `${config.schema}.${config.table}`, rows: rows.length };
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
