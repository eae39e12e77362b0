import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipelineFile, previewNode } from '../../support/engine';
import { parsePipeline } from '../../../shared/pipeline/parse';
import { readFileSync } from 'node:fs';
import { tempDir } from '../../support/temp-dir';
import { nodeCacheKey } from '../../../src-main/engine/cache/cache-key';
import { duckdbVersion } from '../../../src-main/engine/duckdb/instance';
import { testConnection } from '../../support/duckdb';

function setup() {
  const dir = tempDir();
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data/a.csv'), 'id,v\n1,10\n2,20\n');
  writeFileSync(join(dir, 'data/b.csv'), 'id,v\n3,30\n');
  const file = join(dir, 'p.weir.json');
  const nodes = [
    { id: 'raw', name: 'raw', kind: 'file_source', inputs: [], config: { path: 'data/*.csv', format: 'csv' } },
    // fans out to two nodes, so it is a table and cached
    { id: 'typed', name: 'typed', kind: 'sql', inputs: ['raw'], config: { sql: ['select id, v * 2 as v2 from raw'] } },
    { id: 'total', name: 'total', kind: 'sql', inputs: ['typed'], config: { sql: ['select sum(v2) as s from typed'] } },
    { id: 'big', name: 'big', kind: 'sql', inputs: ['typed'], config: { sql: ['select * from typed where v2 > 30'] } },
    { id: 'out', name: 'out', kind: 'file_sink', inputs: ['total'], config: { path: 'out/total.csv', format: 'csv' } },
  ];
  writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes, layout: {} }));
  return { dir, file };
}

const cachedNames = (r: Awaited<ReturnType<typeof runPipelineFile>>) => r.record.nodes.filter((n) => n.cached).map((n) => n.name);

describe('the node result cache', () => {
  it('a second run with the same inputs reuses every result and skips the untouched sink, with the same hashes', async () => {
    const { file } = setup();
    // Tables hashed (when asked) on the first run, and from the cache on the second.
    const first = await runPipelineFile({ file, hashTables: true });
    expect(first.status).toBe('succeeded');
    expect(cachedNames(first)).toEqual([]);
    const second = await runPipelineFile({ file, hashTables: true });
    expect(cachedNames(second)).toEqual(['raw', 'typed', 'total', 'big', 'out']);
    expect(second.record.nodes.map((n) => [n.name, n.rows, n.outputHash])).toEqual(first.record.nodes.map((n) => [n.name, n.rows, n.outputHash]));
    // the run record still lists the exact input files, marked as served from the cache
    const raw = second.record.nodes.find((n) => n.name === 'raw')!;
    expect(raw.inputs?.map((i) => [i.uri.split('/').pop(), i.cacheHit])).toEqual([
      ['a.csv', true],
      ['b.csv', true],
    ]);
  });

  it('a sink publishes again when its output was changed or removed since', async () => {
    const { dir, file } = setup();
    await runPipelineFile({ file });
    writeFileSync(join(dir, 'out/total.csv'), 's\n0\n');
    const tampered = await runPipelineFile({ file });
    expect(cachedNames(tampered)).toEqual(['raw', 'typed', 'total', 'big']);
    expect(readFileSync(join(dir, 'out/total.csv'), 'utf8')).toBe('s\n120\n');
    rmSync(join(dir, 'out'), { recursive: true });
    const removed = await runPipelineFile({ file });
    expect(cachedNames(removed)).not.toContain('out');
    expect(readFileSync(join(dir, 'out/total.csv'), 'utf8')).toBe('s\n120\n');
  });

  it('editing a leaf recomputes only the leaf and what reads it', async () => {
    const { file } = setup();
    await runPipelineFile({ file });
    const p = JSON.parse(readFileSync(file, 'utf8'));
    p.nodes[2].config.sql = ['select sum(v2) as s, count(*) as n from typed'];
    writeFileSync(file, JSON.stringify(p));
    const edited = await runPipelineFile({ file });
    expect(edited.record.nodes.filter((n) => !n.cached).map((n) => n.name)).toEqual(['total', 'out']);
  });

  it('changing an input file recomputes what depends on it', async () => {
    const { dir, file } = setup();
    await runPipelineFile({ file });
    writeFileSync(join(dir, 'data/b.csv'), 'id,v\n3,31\n');
    const again = await runPipelineFile({ file });
    expect(cachedNames(again)).toEqual([]);
    expect(readFileSync(join(dir, 'out/total.csv'), 'utf8')).toBe('s\n122\n');
  });

  it('changing a parameter or the SQL changes the key; --no-cache bypasses it', async () => {
    const { file } = setup();
    await runPipelineFile({ file });
    const p = JSON.parse(readFileSync(file, 'utf8'));
    p.nodes[1].config.sql = ['select id, v * 3 as v2 from raw'];
    writeFileSync(file, JSON.stringify(p));
    const edited = await runPipelineFile({ file });
    expect(cachedNames(edited)).toEqual(['raw']);
    expect(edited.record.nodes.find((n) => n.name === 'out')?.cached).toBe(false);
    const bypass = await runPipelineFile({ file, useCache: false });
    expect(cachedNames(bypass)).toEqual([]);
  });

  it('a preview reads sources lazily when they are not cached, and stores the tables it computed for runs', async () => {
    const { file } = setup();
    const { pipeline } = parsePipeline(readFileSync(file, 'utf8'));
    const cold = await previewNode({ pipeline, file, nodeId: 'big', limit: 10 });
    expect(cold.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'v2', type: 'BIGINT' },
    ]);
    expect(cold.rows).toEqual([
      [2, 40],
      [3, 60],
    ]);
    expect(cold.rowCount).toBe(2);
    // The preview read the source files as a view (nothing staged) but stored the table it computed.
    const run = await runPipelineFile({ file });
    expect(cachedNames(run)).toEqual(['typed']);
    const warm = await previewNode({ pipeline, file, nodeId: 'big', limit: 10 });
    expect(warm.rows).toEqual(cold.rows);
  });

  it('a seed is cached by its config alone: no fingerprint in its key, no input objects in its record', async () => {
    const dir = tempDir();
    const file = join(dir, 'p.weir.json');
    const config = { columns: [{ name: 'n', type: 'INTEGER' }], rows: [[1], [2]] };
    const nodes = [
      { id: 'lots', name: 'lots', kind: 'seed', inputs: [], config },
      // reads the seed twice, so the seed is a table and kept as Parquet
      { id: 'a', name: 'a', kind: 'sql', inputs: ['lots'], config: { sql: ['select sum(n) as s from lots'] } },
      { id: 'b', name: 'b', kind: 'sql', inputs: ['lots'], config: { sql: ['select max(n) as m from lots'] } },
    ];
    writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes, layout: {} }));
    const first = await runPipelineFile({ file });
    const second = await runPipelineFile({ file });
    expect(cachedNames(second)).toContain('lots');
    const key = nodeCacheKey({ kind: 'seed', name: 'lots', config, inputs: [], params: {}, engine: duckdbVersion() });
    for (const run of [first, second]) {
      const seed = run.record.nodes.find((n) => n.name === 'lots')!;
      expect(seed.cacheKey).toBe(key);
      expect('inputs' in seed).toBe(false);
    }
  });
});

describe('the cache of a large source across parameter values', () => {
  it('stores a 3,000,000-row source once for 20 values of a parameter only a downstream node reads, and that node once per value', { timeout: 300_000 }, async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    const conn = await testConnection();
    await conn.run(`COPY (SELECT i AS id, i % 1000 AS grp, md5(i::varchar) AS h FROM range(3000000) t(i)) TO '${join(dir, 'data/big.parquet')}' (FORMAT parquet)`);
    const file = join(dir, 'p.weir.json');
    const nodes = [
      { id: 'src', name: 'src', kind: 'file_source', inputs: [], config: { path: 'data/big.parquet', format: 'parquet' } },
      { id: 'pick', name: 'pick', kind: 'sql', inputs: ['src'], config: { materialize: 'table', sql: ["select grp, count(*) as n from src where grp % 20 = getvariable('k') group by grp"] } },
    ];
    writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: { k: { type: 'integer', default: 0 } }, nodes, layout: {} }));

    const srcKeys = new Set<string>();
    const pickKeys = new Set<string>();
    for (let k = 0; k < 20; k++) {
      const out = await runPipelineFile({ file, params: { k }, recordDir: null });
      expect(out.status).toBe('succeeded');
      const [src, pick] = out.record.nodes as [(typeof out.record.nodes)[0], (typeof out.record.nodes)[0]];
      expect(src.rows).toBe(3_000_000);
      expect(src.cached).toBe(k > 0);
      expect(pick.rows).toBe(50);
      srcKeys.add(src.cacheKey!);
      pickKeys.add(pick.cacheKey!);
    }
    expect(srcKeys.size).toBe(1);
    expect(pickKeys.size).toBe(20);

    // On disk: one copy of the source's table, one small table per value.
    const cacheDir = join(dir, '.weir/cache/nodes');
    const parquet = readdirSync(cacheDir).filter((n) => n.endsWith('.parquet'));
    const bytes = (n: string) => statSync(join(cacheDir, n)).size;
    const [srcKey] = [...srcKeys] as [string];
    expect(parquet.sort()).toEqual([...[...pickKeys].map((key) => `${key}.parquet`), `${srcKey}.parquet`].sort());
    const srcBytes = bytes(`${srcKey}.parquet`);
    expect(srcBytes).toBeGreaterThan(10 * 1024 * 1024);
    const total = parquet.reduce((n, f) => n + bytes(f), 0);
    expect(total - srcBytes).toBeLessThan(srcBytes / 10); // the 20 per-value tables together are small
  });
});
