import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/run/record';
import type { RunEvent } from '../../../shared/run/events';
import { runWeir } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

const fixture = fileURLToPath(new URL('../../fixtures/pipelines/good.weir.json', import.meta.url));

function workspace(): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'good.weir.json');
  cpSync(fixture, file);
  return { dir, file };
}

async function readParquet(path: string): Promise<unknown[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${path}') ORDER BY ALL`);
  const rows = reader.getRowObjectsJS();
  conn.closeSync();
  return rows;
}

function records(dir: string): RunRecord[] {
  const runs = join(dir, '.weir', 'runs');
  return readdirSync(runs)
    .sort()
    .map((f) => JSON.parse(readFileSync(join(runs, f), 'utf8')) as RunRecord);
}

describe('weir run', () => {
  it('runs a pipeline, writes its output and a run record', async () => {
    const { dir, file } = workspace();
    const res = await runWeir(['run', file, '--count-views']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(await readParquet(join(dir, 'out/items.parquet'))).toEqual([
      { sku: 'b', qty: 2 },
      { sku: 'c', qty: 3 },
    ]);
    const [rec] = records(dir);
    expect(rec).toMatchObject({ format: 'weir.run', status: 'succeeded', params: { min_qty: 2 }, pipeline: { name: 'fixture_good', file: 'good.weir.json' } });
    expect(rec!.pipeline.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(rec!.nodes.map((n) => [n.name, n.status, n.rows])).toEqual([
      ['items', 'done', 4],
      ['big_items', 'done', 2],
      ['write_items', 'done', 2],
    ]);
    // outputs are hashed; a table or a view records its row count (its content is fixed by its
    // cache key, made of its inputs' file hashes); --hash-tables / --hash-views hash them too
    expect(rec!.nodes.map((n) => n.outputHash === null)).toEqual([true, true, false]);
    expect(rec!.nodes[2]!.outputHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rec!.nodes[1]!.cacheKey).toMatch(/^[0-9a-f]{64}$/);
    // no temporary file is left beside the output
    expect(readdirSync(join(dir, 'out'))).toEqual(['items.parquet']);
  });

  it("counts a view's rows only when asked: by default a view records its cache key and no row count", async () => {
    const { dir, file } = workspace();
    expect((await runWeir(['run', file, '--no-cache'])).code).toBe(0);
    const [rec] = records(dir);
    // items is a staged source (a table), big_items a view, write_items the sink.
    expect(rec!.nodes.map((n) => [n.name, n.rows])).toEqual([
      ['items', 4],
      ['big_items', null],
      ['write_items', 2],
    ]);
    expect(rec!.nodes[1]!.cacheKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('two runs over the same inputs write byte-identical files and the same output hashes', async () => {
    const { dir, file } = workspace();
    expect((await runWeir(['run', file, '--no-cache', '--hash-views', '--hash-tables'])).code).toBe(0);
    const first = readFileSync(join(dir, 'out/items.parquet'));
    expect((await runWeir(['run', file, '--no-cache', '--hash-views', '--hash-tables'])).code).toBe(0);
    expect(readFileSync(join(dir, 'out/items.parquet')).equals(first)).toBe(true);
    const [a, b] = records(dir);
    expect(b!.nodes.map((n) => n.outputHash)).toEqual(a!.nodes.map((n) => n.outputHash));
    expect(a!.nodes.every((n) => /^[0-9a-f]{64}$/.test(n.outputHash ?? ''))).toBe(true);
  });

  it('parameters reach SQL as DuckDB variables and are recorded', async () => {
    const { dir, file } = workspace();
    expect((await runWeir(['run', file, '--param', 'min_qty=3'])).code).toBe(0);
    expect(await readParquet(join(dir, 'out/items.parquet'))).toEqual([{ sku: 'c', qty: 3 }]);
    expect(records(dir)[0]!.params).toEqual({ min_qty: 3 });
  });

  it('a quote in a parameter stays data, never SQL', async () => {
    const { dir, file } = workspace();
    const p = JSON.parse(readFileSync(file, 'utf8'));
    p.params = { sku: { type: 'string', default: 'x' } };
    p.nodes[1].config.sql = ['select sku, qty', 'from items', "where sku = getvariable('sku')"];
    writeFileSync(file, JSON.stringify(p));
    expect((await runWeir(['run', file, '--param', "sku=b' or '1'='1"])).code).toBe(0);
    expect(await readParquet(join(dir, 'out/items.parquet'))).toEqual([]);
  });

  it('--json prints one JSON event per line, from run_started to run_finished', async () => {
    const { file } = workspace();
    const res = await runWeir(['run', file, '--json']);
    expect(res.code).toBe(0);
    const events = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
    expect(events[0]!.type).toBe('run_started');
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', status: 'succeeded' });
    const finished = events.filter((e) => e.type === 'node_finished');
    expect(finished.map((e) => e.name)).toEqual(['items', 'big_items', 'write_items']);
    for (const e of finished) expect(typeof e.durationMs).toBe('number');
    expect(events.filter((e) => e.type === 'node_started')).toHaveLength(3);
  });

  it('--select runs a node with what it needs, and publishes only selected sinks', async () => {
    const { dir, file } = workspace();
    const res = await runWeir(['run', file, '--select', 'big_items', '--json']);
    expect(res.code).toBe(0);
    expect(existsSync(join(dir, 'out/items.parquet'))).toBe(false);
    expect(records(dir)[0]!.nodes.map((n) => n.name)).toEqual(['items', 'big_items']);
    expect(records(dir)[0]!.selection).toBe('big_items');
    expect((await runWeir(['run', file, '--select', 'items+'])).code).toBe(0);
    expect(existsSync(join(dir, 'out/items.parquet'))).toBe(true);
    const bad = await runWeir(['run', file, '--select', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--select names no node: nope');
  });

  it('a failing node fails the run with exit 1, skips downstream, and keeps the previous output', async () => {
    const { dir, file } = workspace();
    expect((await runWeir(['run', file])).code).toBe(0);
    const before = readFileSync(join(dir, 'out/items.parquet'));
    const p = JSON.parse(readFileSync(file, 'utf8'));
    // fails at run time, not at bind time: a cast error while the sink reads the view
    p.nodes[1].config.sql = ['select sku, qty, cast(sku as integer) as n', 'from items'];
    writeFileSync(file, JSON.stringify(p));
    const res = await runWeir(['run', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^weir: node "(big_items|write_items)".*Conversion Error/);
    expect(readFileSync(join(dir, 'out/items.parquet')).equals(before)).toBe(true);
    expect(readdirSync(join(dir, 'out'))).toEqual(['items.parquet']);
    const rec = records(dir).at(-1)!;
    expect(rec.status).toBe('failed');
  });
});

describe('weir validate and weir plan', () => {
  it('validate says the file is valid and mentions a migration', async () => {
    const ok = await runWeir(['validate', fixture]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('valid pipeline "fixture_good", 3 nodes');
    const draft = await runWeir(['validate', fileURLToPath(new URL('../../fixtures/pipelines/draft-v0.weir.json', import.meta.url))]);
    expect(draft.code).toBe(0);
    expect(draft.stdout).toContain('format version 0, migrated on load');
  });

  it('plan shows the order and the SQL each node runs, without running', async () => {
    const { dir, file } = workspace();
    const res = await runWeir(['plan', file]);
    expect(res.code).toBe(0);
    const order = ['1. items [seed → table]', '2. big_items [sql → view] ← items', '3. write_items [file_sink → none] ← big_items'];
    let at = -1;
    for (const line of order) {
      const i = res.stdout.indexOf(line);
      expect(i, line).toBeGreaterThan(at);
      at = i;
    }
    expect(res.stdout).toContain('CREATE OR REPLACE VIEW "big_items" AS select sku, qty\n   from items\n   where qty >= getvariable(\'min_qty\');');
    expect(res.stdout).toContain('min_qty integer = 2');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const json = JSON.parse((await runWeir(['plan', file, '--json'])).stdout);
    expect(json.steps.map((s: { name: string }) => s.name)).toEqual(['items', 'big_items', 'write_items']);
  });
});
