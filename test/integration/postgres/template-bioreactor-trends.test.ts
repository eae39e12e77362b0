import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../support/duckdb';
import { runPipelineFile } from '../../support/engine';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { TEMPLATE_PIPELINE, copyTemplate } from '../../support/templates';

const PIPELINE = TEMPLATE_PIPELINE['cgt-bioreactor-trends'];

type Row = Record<string, unknown>;

/**
 * The hourly figures computed here from the raw Parquet, in another way than the pipeline's
 * SQL (hour numbers from epoch seconds, "last" by row_number), so that a mistake in the
 * template's SQL shows.
 */
async function expectedHours(ws: string): Promise<Row[]> {
  const conn = await testConnection();
  try {
    const files = join(ws, 'data', 'raw', 'bioreactor', '*', '*.parquet').replace(/\\/g, '/');
    const sql = `
      with r as (
        select trim(batch_id) as batch_id,
               timezone(case upper(site) when 'BOS' then 'America/New_York' when 'LEI' then 'Europe/Amsterdam' else 'Asia/Singapore' end, reading_at) as t,
               case when ph between 6 and 8 then ph end as ph, temp_c, glucose_g_l
        from read_parquet('${files}', hive_partitioning = true)
      ), k as (
        select *, epoch(t)::bigint // 3600 as hour_no,
               row_number() over (partition by batch_id, epoch(t)::bigint // 3600 order by glucose_g_l is null, t desc) as rn
        from r
      )
      select batch_id, hour_no, count(*)::integer as readings, round(avg(temp_c), 3) as temp_c_mean,
             min(ph) as ph_min, max(ph) as ph_max, max(glucose_g_l) filter (where rn = 1) as glucose_g_l_last,
             (hour_no - min(hour_no) over (partition by batch_id))::integer as culture_hour
      from k group by batch_id, hour_no order by batch_id, hour_no`;
    return (await conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => ({ ...r, hour_no: Number(r.hour_no) }));
  } finally {
    conn.closeSync();
  }
}

/** Numbers to 3 decimals, so numeric text from PostgreSQL and doubles from DuckDB compare. */
function rounded(rows: Row[]): Row[] {
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null || k === 'batch_id' ? v : Math.round(Number(v) * 1000) / 1000])),
  );
}

describe('template cgt-bioreactor-trends publishes its hourly mart', () => {
  let server: PostgresServer;
  let ws: string;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    server = await postgresDatabase();
    ws = copyTemplate('cgt-bioreactor-trends', { prefix: 'weir-trends-' });
    // The dev mart is "whatever the PG* variables point at", as for psql.
    for (const [k, v] of Object.entries(server.env())) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await server?.teardown();
  });

  const mart = async () =>
    rounded(
      await server.query(`
        select batch_id, (extract(epoch from hour_start)::bigint / 3600)::int as hour_no, readings::int, temp_c_mean, ph_min, ph_max,
               glucose_g_l_last, culture_hour
          from process_trends.bioreactor_hourly order by batch_id, hour_start`),
    );

  it('runs in the dev environment against the PG* server, and the mart holds mean/min/max/last per batch and hour', async () => {
    const out = await runPipelineFile({ file: join(ws, PIPELINE), recordDir: null });
    expect(out.error?.message ?? null).toBeNull();
    const expected = await expectedHours(ws);
    expect(expected.length).toBeGreaterThan(1000);
    expect(out.record.nodes.find((n) => n.name === 'publish_trends')?.rows).toBe(expected.length);
    // Means may differ in the last rounded digit: the pipeline averages exact decimals, this
    // test averages doubles. Everything else is exact.
    const got = await mart();
    const want = rounded(expected);
    expect(got.length).toBe(want.length);
    const differences = got.filter((g, i) => {
      const w = want[i]!;
      const close = Math.abs(Number(g.temp_c_mean) - Number(w.temp_c_mean)) <= 0.0011;
      return !close || JSON.stringify({ ...g, temp_c_mean: 0 }) !== JSON.stringify({ ...w, temp_c_mean: 0 });
    });
    expect(differences).toEqual([]);
  });

  it('creates typed columns with comments and the key', async () => {
    const cols = await server.query<{ name: string; type: string; comment: string | null }>(
      `select attname as name, format_type(atttypid, atttypmod) as type, col_description(attrelid, attnum) as comment
         from pg_attribute where attrelid = 'process_trends.bioreactor_hourly'::regclass and attnum > 0 order by attnum`,
    );
    const types = Object.fromEntries(cols.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({
      batch_id: 'text',
      hour_start: 'timestamp with time zone',
      culture_hour: 'integer',
      readings: 'bigint',
      ph_mean: 'numeric(9,3)',
      ph_last: 'numeric(9,3)',
      lactate_g_l_max: 'numeric(9,3)',
    });
    expect(cols.filter((c) => /_(mean|min|max|last)$/.test(c.name))).toHaveLength(20);
    expect(cols.find((c) => c.name === 'do_pct_last')?.comment).toBe('dissolved oxygen, % air saturation: last reading in the hour');
    const [t] = await server.query(
      `select obj_description('process_trends.bioreactor_hourly'::regclass, 'pg_class') as comment,
              (select pg_get_constraintdef(oid) from pg_constraint where conrelid = 'process_trends.bioreactor_hourly'::regclass and contype = 'p') as pk`,
    );
    expect(t).toEqual({ comment: 'Hourly bioreactor trends per batch (mean, min, max, last), for process-trend dashboards.', pk: 'PRIMARY KEY (batch_id, hour_start)' });
  });

  it('a run for one batch (--param batch_id) upserts that batch and leaves the others', async () => {
    await server.query(`update process_trends.bioreactor_hourly set ph_mean = 0 where batch_id in ('B0005', 'B0006')`);
    const before = await server.query<{ n: number }>('select count(*)::int as n from process_trends.bioreactor_hourly');
    const out = await runPipelineFile({ file: join(ws, PIPELINE), recordDir: null, params: { batch_id: 'B0005' } });
    expect(out.error?.message ?? null).toBeNull();
    const rows = out.record.nodes.find((n) => n.name === 'publish_trends')?.rows ?? 0;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(before[0]!.n);
    expect(await server.query('select count(*)::int as n from process_trends.bioreactor_hourly')).toEqual(before);
    const zeroed = await server.query<{ batch_id: string; n: number }>(
      `select batch_id, count(*)::int as n from process_trends.bioreactor_hourly where ph_mean = 0 group by batch_id order by batch_id`,
    );
    expect(zeroed.map((z) => z.batch_id)).toEqual(['B0006']);
  });
});
