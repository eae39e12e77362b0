import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../support/duckdb';
import { runPipelineFile } from '../../support/engine';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { TEMPLATE_PIPELINE, copyTemplate } from '../../support/templates';
import { MART_CONNECTION } from './workspace';

const PIPELINE = TEMPLATE_PIPELINE['cgt-batch-release'];

/**
 * The batch-release template, with a mart: its checked release decisions shaped for a
 * dashboard (site names with non-ASCII characters, KPIs as decimals, the last test as a
 * zoned timestamp in the site's time zone) and published to PostgreSQL; the same relation is
 * also written to Parquet, which is the DuckDB result the mart must equal.
 */
const MART_NODES = [
  {
    id: 'mart_sites',
    name: 'mart_sites',
    kind: 'seed',
    inputs: [],
    config: {
      columns: [
        { name: 'site', type: 'VARCHAR' },
        { name: 'site_name', type: 'VARCHAR' },
        { name: 'time_zone', type: 'VARCHAR' },
      ],
      rows: [
        ['BOS', 'Boston – Seaport (Mass.)', 'America/New_York'],
        ['LEI', 'Leiden – Bio Science Park, Zuid-Holland ✓', 'Europe/Amsterdam'],
        ['SGP', 'Singapore – 大士 Tuas', 'Asia/Singapore'],
      ],
    },
  },
  {
    id: 'release_mart',
    name: 'release_mart',
    kind: 'sql',
    inputs: ['check_release', 'mart_sites'],
    config: {
      sql: [
        'select',
        '  r.batch_id,',
        '  r.product,',
        '  s.site_name,',
        '  r.release_status,',
        '  r.failing_assays,',
        '  r.manufacture_start,',
        '  r.manufacture_end,',
        '  cast(r.mean_viability_pct as decimal(7,2)) as mean_viability_pct,',
        '  cast(r.mean_cd3_pct as decimal(7,2)) as mean_cd3_pct,',
        '  cast(r.max_endotoxin_eu_ml as decimal(9,3)) as max_endotoxin_eu_ml,',
        '  timezone(s.time_zone, r.last_tested_at) as last_tested_at,',
        '  r.last_tested_at as last_tested_local,',
        '  r.bioreactor_readings,',
        '  r.mean_do_pct',
        'from release_checked as r',
        'join mart_sites as s using (site)',
      ],
    },
  },
  {
    id: 'publish_release',
    name: 'publish_release',
    kind: 'postgres_sink',
    description: 'Release decision and KPIs per batch, for the QA dashboard.',
    inputs: ['release_mart'],
    config: { connection: 'mart', schema: 'qc_mart', table: 'batch_release', mode: 'replace', key: ['batch_id'] },
  },
  {
    id: 'out_release_mart',
    name: 'out_release_mart',
    kind: 'file_sink',
    inputs: ['release_mart'],
    config: { path: 'data/curated/release_mart.parquet', format: 'parquet', order_by: ['batch_id'] },
  },
];

/** One text form per column type, written once for DuckDB and once for PostgreSQL. */
function canonical(column: string, duckType: string): { duck: string; pg: string } {
  const d = `"${column}"`;
  if (duckType === 'TIMESTAMP WITH TIME ZONE' || duckType === 'TIMESTAMP') {
    return { duck: `epoch_us(${d})::varchar`, pg: `(extract(epoch from ${d}) * 1000000)::bigint::text` };
  }
  if (duckType === 'DOUBLE') return { duck: d, pg: d }; // compared as numbers: float8 text round-trips exactly
  if (duckType === 'VARCHAR') return { duck: d, pg: d };
  return { duck: `${d}::varchar`, pg: `${d}::text` };
}

describe('the batch-release template with a PostgreSQL mart', () => {
  let server: PostgresServer;
  let ws: string;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    server = await postgresDatabase();
    ws = copyTemplate('cgt-batch-release', { prefix: 'weir-release-mart-' });
    const wsFile = join(ws, 'weir.workspace.json');
    const workspace = JSON.parse(readFileSync(wsFile, 'utf8'));
    workspace.environments.dev.connections.mart = MART_CONNECTION;
    writeFileSync(wsFile, JSON.stringify(workspace, null, 2));
    const pipeFile = join(ws, PIPELINE);
    const pipeline = JSON.parse(readFileSync(pipeFile, 'utf8'));
    expect(pipeline.nodes.some((n: { id: string }) => n.id === 'check_release')).toBe(true);
    pipeline.nodes.push(...MART_NODES);
    writeFileSync(pipeFile, JSON.stringify(pipeline, null, 2));
    Object.assign(secrets, { MART_HOST: server.host, MART_PORT: String(server.port), MART_DB: server.database, MART_USER: server.user, MART_PASSWORD: server.password });
  });
  afterAll(async () => {
    await server?.teardown();
  });

  it('publishes the mart; read back with pg it equals the DuckDB result, NULLs, unicode, decimals and zoned timestamps intact', async () => {
    const out = await runPipelineFile({ file: join(ws, PIPELINE), recordDir: null, secrets: (n) => secrets[n] });
    expect(out.error?.message ?? null).toBeNull();
    expect(out.status).toBe('succeeded');

    const parquet = join(ws, 'data', 'curated', 'release_mart.parquet').replace(/\\/g, '/');
    const conn = await testConnection();
    let expected: Record<string, unknown>[];
    let columns: { name: string; type: string }[];
    try {
      columns = (await conn.runAndReadAll(`SELECT column_name AS name, column_type AS type FROM (DESCRIBE SELECT * FROM read_parquet('${parquet}'))`)).getRowObjectsJS() as {
        name: string;
        type: string;
      }[];
      const duckSelect = columns.map((c) => `${canonical(c.name, c.type).duck} AS "${c.name}"`).join(', ');
      expected = (await conn.runAndReadAll(`SELECT ${duckSelect} FROM read_parquet('${parquet}') ORDER BY batch_id`)).getRowObjectsJS();
    } finally {
      conn.closeSync();
    }
    const pgSelect = columns.map((c) => `${canonical(c.name, c.type).pg} AS "${c.name}"`).join(', ');
    const actual = await server.query(`SELECT ${pgSelect} FROM qc_mart.batch_release ORDER BY batch_id`);

    expect(expected.length).toBe(40);
    expect(actual).toEqual(expected);

    // What the comparison covers, so a change to the template cannot make it vacuous.
    expect(columns.map((c) => c.type)).toEqual(expect.arrayContaining(['DECIMAL(7,2)', 'DECIMAL(9,3)', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP', 'DATE', 'DOUBLE', 'VARCHAR']));
    expect(actual.filter((r) => r.failing_assays === null).length).toBeGreaterThan(30);
    expect(actual.filter((r) => r.release_status === 'REJECTED').length).toBeGreaterThan(0);
    expect(new Set(actual.map((r) => r.site_name))).toEqual(new Set(MART_NODES[0]!.config.rows!.map((r) => r[1])));
    const [zoned] = await server.query<{ ok: boolean; types: string }>(
      `SELECT bool_and(last_tested_at = (last_tested_local AT TIME ZONE
                 CASE WHEN site_name LIKE 'Boston%' THEN 'America/New_York' WHEN site_name LIKE 'Leiden%' THEN 'Europe/Amsterdam' ELSE 'Asia/Singapore' END)) AS ok,
              string_agg(DISTINCT format_type(a.atttypid, a.atttypmod), ', ' ORDER BY format_type(a.atttypid, a.atttypmod)) AS types
         FROM qc_mart.batch_release, pg_attribute a
        WHERE a.attrelid = 'qc_mart.batch_release'::regclass AND a.attnum > 0`,
    );
    expect(zoned!.ok).toBe(true);
    expect(zoned!.types).toBe('bigint, date, double precision, numeric(7,2), numeric(9,3), text, timestamp with time zone, timestamp without time zone');
    const [comment] = await server.query(`SELECT obj_description('qc_mart.batch_release'::regclass, 'pg_class') AS c`);
    expect(comment).toEqual({ c: 'Release decision and KPIs per batch, for the QA dashboard.' });
  });
});
