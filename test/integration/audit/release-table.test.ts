import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLogPath, type AuditEntry } from '../../../src-main/engine/audit/audit-log';
import { runWeir } from '../../support/cli';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { tempDir } from '../../support/temp-dir';
import { martWorkspace, type TestWorkspace } from '../postgres/workspace';

/**
 * The release-state table (issue #18 item 2, weir.audit.json "releaseTable"): on the real
 * PostgreSQL the tests start, a partitioned pipeline's lots appear as pending after the run,
 * a signing moves its lot's row, a refresh that cannot reach the server leaves the signature
 * standing and `weir release publish` catches up, and a dashboard's join shows released lots only.
 */

const PASS = 'qa lead passphrase';

interface Row {
  lot: string;
  state: string;
  run_id: string;
  pipeline: string;
  record_sha256: string;
  state_since: Date | null;
  audit_seq: string;
  audit_hash: string;
  signer_names: string[];
  signatures: { signerId: string; signerName: string; meaning: string; signedAt: string; comment: string }[];
}

describe('the release-state table in PostgreSQL', () => {
  let server: PostgresServer;
  let ws: TestWorkspace;
  let keyDir: string;
  let file: string;
  const runIds: Record<string, string> = {};

  const weir = (args: string[], env: Record<string, string> = {}, input?: string) =>
    runWeir(args, { env: { ...ws.secrets, WEIR_SIGNER_KEY_DIR: keyDir, WEIR_SIGN_PASSPHRASE_FILE: '', ...env }, ...(input === undefined ? {} : { input }) });
  const rows = () => server.query<Row>('SELECT * FROM public.lot_release ORDER BY lot');
  const entries = () => readFileSync(auditLogPath(ws.root), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEntry);

  beforeAll(async () => {
    server = await postgresDatabase();
    ws = martWorkspace(server);
    keyDir = tempDir('weir-release-table-keys-');
    const init = await runWeir(['signer', 'init', '--id', 'qa.lead', '--name', 'Dr. Quinn Lead', '--role', 'QA', '--passphrase-stdin'], { env: { WEIR_SIGNER_KEY_DIR: keyDir }, input: `${PASS}\n` });
    expect(init.code, init.stderr).toBe(0);
    writeFileSync(join(ws.root, 'signers.json'), JSON.stringify({ format: 'weir.signers', version: 1, signers: [JSON.parse(init.stdout)] }));
    writeFileSync(
      join(ws.root, 'weir.audit.json'),
      JSON.stringify({ format: 'weir.audit', version: 1, git: { enabled: false }, releaseTable: { connection: 'mart', table: 'lot_release' } }),
    );
    for (const [lot, v] of [['B0041', 91.5], ['B0042', 88.0]] as const) {
      mkdirSync(join(ws.root, 'data', 'lots', lot), { recursive: true });
      writeFileSync(join(ws.root, 'data', 'lots', lot, 'assays.csv'), `batch_id,viability_pct\n${lot},${v}\n`);
    }
    file = join(ws.root, 'pipelines', 'release_by_lot.weir.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir.pipeline',
        version: 1,
        name: 'release_by_lot',
        params: {},
        partitions: { key: 'batch_id', sources: { raw: { path: 'data/lots/{batch_id}/assays.csv' } } },
        nodes: [
          { id: 'raw', name: 'raw', kind: 'file_source', inputs: [], config: { path: 'data/lots/*/assays.csv', format: 'csv' } },
          { id: 'rows', name: 'rows', kind: 'sql', inputs: ['raw'], config: { sql: ['select batch_id::varchar as batch_id, viability_pct::double as viability_pct from raw'] } },
          { id: 'mart', name: 'mart', kind: 'postgres_sink', inputs: ['rows'], config: { connection: 'mart', table: 'assays', mode: 'replace_partition' } },
        ],
      }),
    );
    const run = await weir(['run', file]);
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse((await weir(['release', 'status', '--workspace', ws.root, '--json'])).stdout) as { runs: { runId: string; key: string }[] };
    for (const r of status.runs) runIds[r.key] = r.runId;
    expect(Object.keys(runIds).sort()).toEqual(['B0041', 'B0042']);
  }, 180_000);

  afterAll(async () => {
    ws?.remove();
    await server?.teardown();
  });

  it("each recorded lot's run puts the lot in the table as pending", async () => {
    const runEntry = (lot: string) => entries().find((e) => e.type === 'run' && e.runId === runIds[lot] && (e.record as { format?: string }).format === 'weir.run')!;
    expect(await rows()).toEqual(
      ['B0041', 'B0042'].map((lot) =>
        expect.objectContaining({ lot, state: 'pending', run_id: runIds[lot], pipeline: 'release_by_lot', record_sha256: runEntry(lot).recordSha256, state_since: null, audit_seq: String(runEntry(lot).seq), audit_hash: runEntry(lot).hash, signer_names: [], signatures: [] }),
      ),
    );
  });

  it("a signing moves its lot's row, with the signer, meaning, time and the state entry's seq and hash", async () => {
    const res = await weir(['sign', runIds.B0042!, '--meaning', 'released', '--comment', 'B0042 meets spec', '--workspace', ws.root, '--passphrase-stdin'], {}, `${PASS}\n`);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('release-state table public.lot_release refreshed (2 row(s))');
    const state = entries().at(-1)!;
    expect(state.type).toBe('state');
    const signedAt = (entries().at(-2)!.payload as { signedAt: string }).signedAt;
    const [b41, b42] = await rows();
    expect(b41).toMatchObject({ lot: 'B0041', state: 'pending' });
    expect(b42).toMatchObject({
      lot: 'B0042',
      state: 'released',
      run_id: runIds.B0042,
      audit_seq: String(state.seq),
      audit_hash: state.hash,
      signer_names: ['Dr. Quinn Lead'],
      signatures: [{ signerId: 'qa.lead', signerName: 'Dr. Quinn Lead', meaning: 'released', signedAt, comment: 'B0042 meets spec' }],
    });
    expect(b42!.state_since!.toISOString()).toBe(signedAt);
    // A dashboard shows released lots only.
    const shown = await server.query<{ batch_id: string }>("SELECT a.batch_id FROM public.assays a JOIN public.lot_release r ON r.lot = a.batch_id WHERE r.state = 'released'");
    expect(shown.map((r) => r.batch_id)).toEqual(['B0042']);
  }, 90_000);

  it('a refresh that cannot reach the server leaves the signature standing; weir release publish catches up', async () => {
    const res = await weir(['sign', runIds.B0041!, '--meaning', 'rejected', '--workspace', ws.root, '--passphrase-stdin'], { MART_PASSWORD: 'wrong password' }, `${PASS}\n`);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`release state of B0041: pending -> rejected`);
    expect(res.stderr).toContain('weir: warning: the signature stands, but');
    expect(res.stderr).toContain('retry with "weir release publish"');
    expect(res.stderr).not.toContain('wrong password');
    expect((await rows())[0]).toMatchObject({ lot: 'B0041', state: 'pending' });
    const pub = await weir(['release', 'publish', '--workspace', ws.root]);
    expect(pub.code, pub.stderr).toBe(0);
    expect(pub.stdout).toContain('release-state table public.lot_release refreshed (2 row(s))');
    expect((await rows()).map((r) => [r.lot, r.state])).toEqual([
      ['B0041', 'rejected'],
      ['B0042', 'released'],
    ]);
    const v = await weir(['audit', 'verify', '--workspace', ws.root]);
    expect(v.code, v.stdout).toBe(0);
  }, 90_000);
});
