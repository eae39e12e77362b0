import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkspace } from '../../../src-main/engine';
import { lotStateOf } from '../../../src-main/engine/lots/run-lots';
import { openLotStateStore } from '../../../src-main/engine/lots/state-store';
import { testContext, testEngine } from '../../support/engine';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { tempDir } from '../../support/temp-dir';
import { martWorkspace, type TestWorkspace } from '../postgres/workspace';

const PIPELINE = {
  format: 'weir.pipeline',
  version: 1,
  name: 'lots_pg_state',
  params: {},
  partitions: { key: 'batch_id', sources: { raw: { path: 'data/lots/{batch_id}/rows.csv' } } },
  nodes: [
    { id: 'raw', name: 'raw', kind: 'file_source', inputs: [], config: { path: 'data/lots/*/rows.csv', format: 'csv', csv: { all_varchar: true } } },
    // A value that is not a number fails the lot (the cast), and only that lot.
    { id: 'rows', name: 'rows', kind: 'sql', inputs: ['raw'], config: { materialize: 'table', sql: ['select batch_id, id::int as id, value::int as value from raw'] } },
    { id: 'out', name: 'out', kind: 'file_sink', inputs: ['rows'], config: { path: 'data/curated/rows.csv', format: 'csv' } },
  ],
  layout: {},
};

interface StateRow {
  lot: string;
  succeeded_run_id: string | null;
  succeeded_fingerprint: string | null;
  failed_run_id: string | null;
}

describe('lot states in PostgreSQL (the workspace names a connection)', () => {
  let server: PostgresServer;
  let ws: TestWorkspace;
  const saved: Record<string, string | undefined> = {};
  const file = (root: string) => join(root, 'pipelines', 'lots.weir.json');
  const rows = () => server.query<StateRow>('SELECT lot, succeeded_run_id, succeeded_fingerprint, failed_run_id FROM public.weir_lot_states_test ORDER BY lot');
  const states = async (root: string) => Object.fromEntries((await testEngine().partitions({ file: file(root) })).partitions.map((p) => [p.key, p.state]));

  beforeAll(async () => {
    server = await postgresDatabase();
    ws = martWorkspace(server);
    // `weir partitions` reads ${env:...} from the environment, as a server's runner does.
    for (const [k, v] of Object.entries(ws.secrets)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    const wsFile = join(ws.root, 'weir.workspace.json');
    const doc = JSON.parse(readFileSync(wsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(wsFile, JSON.stringify({ ...doc, lot_states: { connection: 'mart', table: 'weir_lot_states_test' } }));
    writeFileSync(file(ws.root), JSON.stringify(PIPELINE));
    for (const [lot, value] of [['L1', '10'], ['L2', '20'], ['L3', 'not a number']]) {
      mkdirSync(join(ws.root, 'data', 'lots', lot!), { recursive: true });
      writeFileSync(join(ws.root, 'data', 'lots', lot!, 'rows.csv'), `batch_id,id,value\n${lot},1,${value}\n`);
    }
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    ws?.remove();
    await server?.teardown();
  });

  it('records each lot once its run is over, a success only for a lot that fully succeeded, and nothing on the local disk', async () => {
    expect(await states(ws.root)).toEqual({ L1: 'new', L2: 'new', L3: 'new' });
    const out = await testEngine().run({ file: file(ws.root), recordDir: null });
    expect(out.lots!.map((l) => [l.key, l.outcome])).toEqual([
      ['L1', 'succeeded'],
      ['L2', 'succeeded'],
      ['L3', 'failed'],
    ]);
    const byLot = Object.fromEntries(out.lots!.map((l) => [l.key, l]));
    expect(await rows()).toEqual([
      { lot: 'L1', succeeded_run_id: byLot.L1!.runId, succeeded_fingerprint: byLot.L1!.fingerprint, failed_run_id: null },
      { lot: 'L2', succeeded_run_id: byLot.L2!.runId, succeeded_fingerprint: byLot.L2!.fingerprint, failed_run_id: null },
      { lot: 'L3', succeeded_run_id: null, succeeded_fingerprint: null, failed_run_id: byLot.L3!.runId },
    ]);
    expect((await server.query<{ pipeline: string }>('SELECT DISTINCT pipeline FROM public.weir_lot_states_test')).map((r) => r.pipeline)).toEqual(['pipelines/lots.weir.json']);
    expect(existsSync(join(ws.root, '.weir', 'lots'))).toBe(false);
    expect(await states(ws.root)).toEqual({ L1: 'up_to_date', L2: 'up_to_date', L3: 'failed' });
  });

  it('is shared by another machine running the same pipeline on the same inputs', async () => {
    const other = tempDir('weir-pg-lots-other-');
    cpSync(ws.root, other, { recursive: true, filter: (p) => !p.includes(`${ws.root}/.weir`) && !p.includes('curated') });
    expect(await states(other)).toEqual({ L1: 'up_to_date', L2: 'up_to_date', L3: 'failed' });
    // L3 fixed on the other machine: only L3 runs there, and the first machine then sees it up to date too.
    writeFileSync(join(other, 'data', 'lots', 'L3', 'rows.csv'), 'batch_id,id,value\nL3,1,30\n');
    const out = await testEngine().run({ file: file(other), recordDir: null });
    expect(out.lots!.map((l) => [l.key, l.outcome])).toEqual([['L3', 'succeeded']]);
    writeFileSync(join(ws.root, 'data', 'lots', 'L3', 'rows.csv'), 'batch_id,id,value\nL3,1,30\n');
    expect(await states(ws.root)).toEqual({ L1: 'up_to_date', L2: 'up_to_date', L3: 'up_to_date' });
    expect((await rows()).find((r) => r.lot === 'L3')).toMatchObject({ succeeded_run_id: out.lots![0]!.runId, failed_run_id: null });
  });

  it('two writers finishing the same lot at once both land; the newer success wins', async () => {
    const open = () =>
      openLotStateStore({ engine: testContext(), pipeline: PIPELINE as never, pipelineFile: file(ws.root), workspace: findWorkspace(ws.root), environment: 'dev', secrets: (n) => process.env[n] });
    const [a, b] = await Promise.all([open(), open()]);
    try {
      await Promise.all([
        a.record('L9', 'succeeded', { fingerprint: 'f-old', runId: 'run-old', at: '2026-12-07T01:00:00.000Z' }),
        b.record('L9', 'succeeded', { fingerprint: 'f-new', runId: 'run-new', at: '2026-12-07T02:00:00.000Z' }),
        a.record('L9', 'failed', { fingerprint: 'f-older', runId: 'run-older', at: '2026-12-07T00:00:00.000Z' }),
      ]);
      const l9 = (await b.readAll()).get('L9')!;
      expect(l9.succeeded).toEqual({ fingerprint: 'f-new', runId: 'run-new', at: '2026-12-07T02:00:00.000Z' });
      // The older failure is dropped or kept (by which landed first), and never outranks the success.
      expect(lotStateOf(l9, 'f-new')).toBe('up_to_date');
      expect(lotStateOf(l9, 'f-older')).toBe('changed');
    } finally {
      a.close();
      b.close();
    }
  });
});
