import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { diffRelationValues, literal } from '../../src-main/engine';
import { benchEngine } from '../lib/engine';
import { sampleMemory, type MemoryPeak } from '../lib/memory';

export interface ValueDiffResult {
  /** Per round: Weir's value diff, then the raw queries, over the same two tables in one connection. */
  weirMs: number[];
  rawMs: number[];
  rows: number;
  weir: { changed: number; onlyBase: number; onlyHead: number };
  raw: { exceptBase: number; exceptHead: number; changed: number };
}

const KEY = ['batch_id', 'reading_at'];
const COLUMNS = ['batch_id', 'site', 'reading_at', 'ph', 'do_pct', 'glucose_g_l', 'lactate_g_l'];

async function count(conn: DuckDBConnection, sql: string): Promise<number> {
  return Number((await conn.runAndReadAll(sql)).getRowObjectsJS()[0]?.n ?? 0);
}

/**
 * Figure 8a: the bioreactor readings (10 M rows at full scale) as two versions of one node
 * that round temp_c differently (4 decimals in base, 1 in head), as tables in one in-memory
 * DuckDB; then, alternating, Weir's value diff by (batch_id, reading_at) and the raw
 * queries a person would write: EXCEPT ALL both ways and a keyed join counting changed rows.
 */
export async function valueDiff(args: { dataDir: string; rounds: number }): Promise<ValueDiffResult> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const src = `read_parquet(${literal(join(args.dataDir, 'bioreactor', '*', '*.parquet'))}, hive_partitioning = true)`;
  const cols = COLUMNS.join(', ');
  await conn.run(`CREATE TABLE base_readings AS SELECT ${cols}, round(temp_c, 4) AS temp_c FROM ${src}`);
  await conn.run(`CREATE TABLE head_readings AS SELECT ${cols}, round(temp_c, 1) AS temp_c FROM ${src}`);
  const rows = await count(conn, 'SELECT count(*) AS n FROM base_readings');
  const describe = async (t: string) => (await conn.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE ${t})`)).getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  const baseColumns = await describe('base_readings');
  const headColumns = await describe('head_readings');
  const weirMs: number[] = [];
  const rawMs: number[] = [];
  let weir = { changed: 0, onlyBase: 0, onlyHead: 0 };
  let raw = { exceptBase: 0, exceptHead: 0, changed: 0 };
  const all = [...COLUMNS, 'temp_c'].join(', ');
  const on = KEY.map((k) => `b.${k} = h.${k}`).join(' AND ');
  const differs = [...COLUMNS.filter((c) => !KEY.includes(c)), 'temp_c'].map((c) => `b.${c} IS DISTINCT FROM h.${c}`).join(' OR ');
  for (let i = 0; i < args.rounds; i++) {
    let t0 = performance.now();
    const v = await diffRelationValues(conn, { base: '"base_readings"', head: '"head_readings"', baseColumns, headColumns, key: KEY, keySource: 'option' });
    weirMs.push(performance.now() - t0);
    weir = { changed: v.changed, onlyBase: v.onlyBase, onlyHead: v.onlyHead };
    t0 = performance.now();
    const exceptBase = await count(conn, `SELECT count(*) AS n FROM (SELECT ${all} FROM base_readings EXCEPT ALL SELECT ${all} FROM head_readings)`);
    const exceptHead = await count(conn, `SELECT count(*) AS n FROM (SELECT ${all} FROM head_readings EXCEPT ALL SELECT ${all} FROM base_readings)`);
    const changed = await count(conn, `SELECT count(*) AS n FROM base_readings b JOIN head_readings h ON ${on} WHERE ${differs}`);
    rawMs.push(performance.now() - t0);
    raw = { exceptBase, exceptHead, changed };
  }
  conn.closeSync();
  db.closeSync();
  return { weirMs, rawMs, rows, weir, raw };
}

export interface EngineReviewResult {
  ms: number;
  verdict: string;
  impacted: string[];
  inputsMode: string;
  memory: MemoryPeak;
}

/** Figure 8b: one `weir review` of the working copy against HEAD, through the engine's front door. */
export async function engineReview(args: { file: string }): Promise<EngineReviewResult> {
  const mem = sampleMemory();
  const t0 = performance.now();
  const report = await benchEngine().review({ file: args.file });
  const ms = performance.now() - t0;
  return { ms, verdict: report.summary.verdict, impacted: report.nodes.map((n) => n.name), inputsMode: report.inputs.mode, memory: mem.stop() };
}
