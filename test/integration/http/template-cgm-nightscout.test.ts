import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/run/record';
import { runWeir } from '../../support/cli';
import { nightscoutEntries, startNightscout, type NightscoutServer } from '../../support/nightscout-server';
import { TEMPLATE_PIPELINE, copyTemplate } from '../../support/templates';
import { tempDir } from '../../support/temp-dir';

const SECRET = 'template-secret-4b2e9d';
const FROM = '2026-01-04';

describe('template cgm-nightscout runs headless against a Nightscout-like API', () => {
  let api: NightscoutServer;
  let ws: string;
  let db: DuckDBInstance;
  let conn: DuckDBConnection;

  beforeAll(async () => {
    // 30,000 readings over about 35 days, three per timestamp, a 503 every 7th request, ETags.
    api = await startNightscout({ secret: SECRET, entries: nightscoutEntries(30_000), failEvery: 7, validators: 'etag' });
    ws = copyTemplate('cgm-nightscout', { prefix: 'weir-cgm-' });
    db = await DuckDBInstance.create(':memory:');
    conn = await db.connect();
  });
  afterAll(async () => {
    conn?.closeSync();
    db?.closeSync();
    await api?.close();
  });

  const weir = (args: string[]) => runWeir(args, { fromSource: true, cwd: ws, env: { NIGHTSCOUT_URL: api.base, NIGHTSCOUT_API_SECRET: SECRET } });
  const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();
  const q = (p: string) => `'${p.replace(/'/g, "''")}'`;

  /** The summary computed by plain DuckDB from the API's data, independently of the pipeline. */
  async function expected(): Promise<Record<string, unknown>[]> {
    const file = join(tempDir('weir-cgm-expected-'), 'entries.json');
    writeFileSync(file, JSON.stringify(api.entries.filter((e) => e.dateString >= FROM)));
    return rows(`
      select cast(epoch_ms(date) as date) as day, count(*) as readings, round(avg(sgv), 1) as mean_sgv, min(sgv) as min_sgv, max(sgv) as max_sgv,
        round(100.0 * count(*) filter (where sgv between 70 and 180) / count(*), 1) as pct_in_range,
        round(100.0 * count(*) filter (where sgv < 70) / count(*), 1) as pct_below,
        round(100.0 * count(*) filter (where sgv > 180) / count(*), 1) as pct_above,
        round(3.31 + 0.02392 * avg(sgv), 2) as gmi_pct
      from read_json(${q(file)}) group by day order by day`);
  }

  const lastRecord = async (): Promise<RunRecord> => {
    const list = await weir(['audit', 'list', '--json']);
    const { runId } = JSON.parse(list.stdout.trim().split('\n').at(-1)!) as { runId: string };
    return JSON.parse(readFileSync(join(ws, '.weir', 'runs', `${runId}.json`), 'utf8')) as RunRecord;
  };

  it('reads every entry since from_date and writes the same daily summary as plain DuckDB', async () => {
    const res = await weir(['run', TEMPLATE_PIPELINE['cgm-nightscout'], '--json', '--param', `from_date=${FROM}`]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const got = await rows(`select * from read_csv(${q(join(ws, 'data/curated/daily_glucose.csv'))}) order by day`);
    const want = await expected();
    expect(got.length).toBeGreaterThan(25);
    expect(got).toEqual(want);

    const record = await lastRecord();
    expect(record.params).toEqual({ from_date: FROM, to_date: '2100-01-01' });
    const source = record.nodes.find((n) => n.name === 'entries')!;
    expect(source.retries).toBeGreaterThan(0);
    expect(source.inputs!.every((i) => new URL(i.uri).searchParams.get('find[dateString][$gte]') === FROM)).toBe(true);
    expect(JSON.stringify(record)).not.toContain(SECRET);
  }, 120_000);

  it('a second run asks once per page, conditionally, and recomputes nothing', async () => {
    api.reset();
    const res = await weir(['run', TEMPLATE_PIPELINE['cgm-nightscout'], '--param', `from_date=${FROM}`]);
    expect(res.code).toBe(0);
    expect(api.statuses.filter((s) => s !== 503).every((s) => s === 304)).toBe(true);
    const record = await lastRecord();
    expect(record.nodes.filter((n) => !n.cached).map((n) => n.name)).toEqual(['readings_checked']);
    // Each page once (503s aside): the pages of the first run.
    expect(api.statuses.filter((s) => s === 304)).toHaveLength(record.nodes.find((n) => n.name === 'entries')!.inputs!.length);
  }, 120_000);
});
