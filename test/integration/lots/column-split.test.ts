import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../../support/engine';
import { tempDir } from '../../support/temp-dir';

/** A source whose file holds every lot (`column`), beside one split by folder (`path`). */
describe('a column-split source', () => {
  it("gives each lot its own rows, and a change to the unsplit file makes every lot changed", async () => {
    const root = tempDir('weir-lots-column-');
    writeFileSync(join(root, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }));
    mkdirSync(join(root, 'pipelines'));
    const put = (rel: string, text: string) => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    put('data/mes.csv', 'batch_id,product\nL1,TIL\nL2,CAR-T\nL3,TIL\n');
    put('data/lots/L1/results.csv', 'batch_id,value\nL1,1\nL1,2\n');
    put('data/lots/L2/results.csv', 'batch_id,value\nL2,5\n');
    const file = join(root, 'pipelines', 'lots.weir.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir.pipeline',
        version: 1,
        name: 'lots',
        partitions: { key: 'batch_id', sources: { res: { path: 'data/lots/{batch_id}/results.csv' }, mes: { column: 'batch_id' } } },
        nodes: [
          { id: 'res', name: 'results', kind: 'file_source', inputs: [], config: { path: 'data/lots/*/results.csv', format: 'csv' } },
          { id: 'mes', name: 'mes', kind: 'file_source', inputs: [], config: { path: 'data/mes.csv', format: 'csv' } },
          {
            id: 'joined',
            name: 'joined',
            kind: 'sql',
            inputs: ['res', 'mes'],
            config: { sql: ["select m.batch_id, m.product, sum(r.value) as total, count(*) as n, getvariable('batch_id') as lot", 'from results r join mes m using (batch_id)', 'group by all'] },
          },
          { id: 'mes_rows', name: 'mes_rows', kind: 'sql', inputs: ['mes'], config: { sql: ['select count(*) as mes_rows from mes'] } },
          { id: 'out', name: 'out', kind: 'file_sink', inputs: ['joined'], config: { path: 'data/out/joined.csv', format: 'csv' } },
          { id: 'out_rows', name: 'out_rows', kind: 'file_sink', inputs: ['mes_rows'], config: { path: 'data/out/mes_rows.csv', format: 'csv' } },
        ],
      }),
    );
    const engine = testEngine();
    const first = await engine.run({ file, recordDir: null });
    expect(first.error?.message ?? null).toBeNull();
    // Lots come from the split source only (L3 is in the MES export but has no results folder).
    expect(first.lots!.map((l) => l.key)).toEqual(['L1', 'L2']);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const read = async (p: string) => (await conn.runAndReadAll(`select * from read_csv('${join(root, p)}')`)).getRowObjectsJS();
    expect(await read('data/out/batch_id=L1/joined.csv')).toEqual([{ batch_id: 'L1', product: 'TIL', total: 3n, n: 2n, lot: 'L1' }]);
    expect(await read('data/out/batch_id=L2/joined.csv')).toEqual([{ batch_id: 'L2', product: 'CAR-T', total: 5n, n: 1n, lot: 'L2' }]);
    // The unsplit source reaches each lot filtered to that lot's rows.
    // (DuckDB reads the batch_id=L1 folder as a column too.)
    expect(await read('data/out/batch_id=L1/mes_rows.csv')).toEqual([{ mes_rows: 1n, batch_id: 'L1' }]);
    conn.closeSync();
    db.closeSync();
    put('data/mes.csv', 'batch_id,product\nL1,TIL\nL2,CAR-T\nL3,TIL\nL4,TIL\n');
    expect((await engine.partitions({ file })).partitions.map((p) => [p.key, p.state])).toEqual([
      ['L1', 'changed'],
      ['L2', 'changed'],
    ]);
  });
});
