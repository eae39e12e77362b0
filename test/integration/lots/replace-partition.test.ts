import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../../src-main/engine';
import { testEngine } from '../../support/engine';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { martWorkspace, type TestWorkspace } from '../postgres/workspace';

describe('postgres_sink replace_partition', () => {
  let server: PostgresServer;
  let ws: TestWorkspace;
  let file: string;

  const lotFile = (lot: string, rows: [number, number][], other?: string) => {
    mkdirSync(join(ws.root, 'data', 'lots', lot), { recursive: true });
    writeFileSync(join(ws.root, 'data', 'lots', lot, 'rows.csv'), `batch_id,id,value\n${rows.map(([id, v]) => `${other ?? lot},${id},${v}`).join('\n')}\n`);
  };
  const run = (): Promise<RunOutcome> => testEngine().run({ file, secrets: (n) => ws.secrets[n], recordDir: null });
  const table = () => server.query<{ batch_id: string; id: number; value: number }>('SELECT batch_id, id, value FROM public.results ORDER BY batch_id, id');
  const xmins = (lot: string) => server.query<{ xmin: string }>('SELECT xmin::text AS xmin FROM public.results WHERE batch_id = $1 ORDER BY id', [lot]);

  beforeAll(async () => {
    server = await postgresDatabase();
    ws = martWorkspace(server);
    file = join(ws.root, 'pipelines', 'lots.weir.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir.pipeline',
        version: 1,
        name: 'lots',
        params: {},
        partitions: { key: 'batch_id', sources: { raw: { path: 'data/lots/{batch_id}/rows.csv' } } },
        nodes: [
          { id: 'raw', name: 'raw', kind: 'file_source', inputs: [], config: { path: 'data/lots/*/rows.csv', format: 'csv' } },
          { id: 'rows', name: 'rows', kind: 'sql', inputs: ['raw'], config: { sql: ['select batch_id::varchar as batch_id, id::int as id, value::int as value from raw'] } },
          { id: 'mart', name: 'mart', kind: 'postgres_sink', inputs: ['rows'], config: { connection: 'mart', table: 'results', mode: 'replace_partition' } },
        ],
      }),
    );
    lotFile('L1', [[1, 10], [2, 20]]);
    lotFile('L2', [[1, 100], [2, 200], [3, 300]]);
    lotFile('L3', [[1, 1000]]);
  });
  afterAll(async () => {
    ws?.remove();
    await server?.teardown();
  });

  it("deletes the lot's rows and inserts its new ones in one transaction, leaving other lots' rows untouched", async () => {
    const first = await run();
    expect(first.error?.message ?? null).toBeNull();
    expect(first.lots!.map((l) => l.key)).toEqual(['L1', 'L2', 'L3']);
    // A lot this pipeline does not know (another pipeline's, or older): never touched.
    await server.query(`INSERT INTO public.results VALUES ('L9', 1, 9)`);
    const l1 = await xmins('L1');
    lotFile('L2', [[1, 101], [4, 400]]);
    const second = await run();
    expect(second.error?.message ?? null).toBeNull();
    expect(second.lots!.map((l) => l.key)).toEqual(['L2']);
    expect(await table()).toEqual([
      { batch_id: 'L1', id: 1, value: 10 },
      { batch_id: 'L1', id: 2, value: 20 },
      { batch_id: 'L2', id: 1, value: 101 },
      { batch_id: 'L2', id: 4, value: 400 },
      { batch_id: 'L3', id: 1, value: 1000 },
      { batch_id: 'L9', id: 1, value: 9 },
    ]);
    // Not rewritten: the same row versions as before.
    expect(await xmins('L1')).toEqual(l1);
  });

  it("refuses a lot whose rows are not all of that lot, and leaves the lot's rows as they were", async () => {
    lotFile('L3', [[1, 5], [2, 6]], 'L1');
    const out = await run();
    expect(out.status).toBe('failed');
    expect(out.lots!.map((l) => [l.key, l.outcome])).toEqual([['L3', 'failed']]);
    expect(out.lots![0]!.error).toMatch(/2 row\(s\) of its input are not of lot "L3"/);
    expect((await table()).filter((r) => r.batch_id === 'L3')).toEqual([{ batch_id: 'L3', id: 1, value: 1000 }]);
    expect((await table()).filter((r) => r.batch_id === 'L1')).toHaveLength(2);
  });

  it('is refused in a pipeline without partitions, and replace is refused in one with them', async () => {
    const plain = join(ws.root, 'pipelines', 'plain.weir.json');
    writeFileSync(
      plain,
      JSON.stringify({
        format: 'weir.pipeline',
        version: 1,
        name: 'plain',
        nodes: [
          { id: 'rows', name: 'rows', kind: 'sql', inputs: [], config: { sql: ["select 'L1' as batch_id"] } },
          { id: 'mart', name: 'mart', kind: 'postgres_sink', inputs: ['rows'], config: { connection: 'mart', table: 'results', mode: 'replace_partition' } },
        ],
      }),
    );
    await expect(testEngine().run({ file: plain, secrets: (n) => ws.secrets[n], recordDir: null })).rejects.toThrow(/replace_partition needs a partitioned pipeline/);
  });
});
