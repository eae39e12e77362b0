import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePipeline } from '../../shared/pipeline/parse';
import { serializePipeline } from '../../shared/pipeline/canonical';
import { runPipelineFile } from '../support/engine';
import { runWeir } from '../support/cli';
import { filesUnder, treeHashes } from '../support/find-files';
import { TEMPLATE_PIPELINE, copyTemplate, templateDir } from '../support/templates';

const TEMPLATE = templateDir('cgt-batch-release');
const PIPELINE = TEMPLATE_PIPELINE['cgt-batch-release'];
const workspaceCopy = () => copyTemplate('cgt-batch-release', { prefix: 'weir-template-' });
/** sha256 of every file under the curated folder, by relative path. */
const curatedHashes = (ws: string) => treeHashes(join(ws, 'data', 'curated'));

/** The batches the shipped sample is built to reject, and why (see src-main/engine/sample/cgt-model.ts). */
const REJECTED = {
  B0007: 'viability (out of spec)',
  B0013: 'endotoxin (out of spec)',
  B0021: 'cd3_pct (missing)',
  B0026: 'viability (out of spec)',
};

/** Viability results in the raw LIMS export, parsed here independently of the pipeline's SQL. */
function rawViability(ws: string): Map<string, number[]> {
  const lines = readFileSync(join(ws, 'data', 'raw', 'assays.csv'), 'utf8').trim().split('\n').slice(1);
  const out = new Map<string, number[]>();
  for (const line of lines) {
    const [, batch, assay, result] = line.split(',');
    if (assay?.trim().toLowerCase() !== 'viability') continue;
    const id = batch!.trim();
    out.set(id, [...(out.get(id) ?? []), Number.parseFloat(result!)]);
  }
  return out;
}

let db: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
});
afterAll(() => {
  conn.closeSync();
  db.closeSync();
});

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

const q = (p: string) => `'${p.replace(/'/g, "''")}'`;

async function releaseStatus(ws: string): Promise<Record<string, unknown>[]> {
  return rows(`SELECT batch_id, release_status, failing_assays FROM read_parquet(${q(join(ws, 'data/curated/batch_release.parquet'))}) ORDER BY batch_id`);
}

describe('CGT batch-release template', () => {
  it('is written canonically: load then save gives the same bytes', () => {
    const text = readFileSync(join(TEMPLATE, PIPELINE), 'utf8');
    expect(serializePipeline(parsePipeline(text).pipeline)).toBe(text);
  });

  it('keeps curated outputs and run state out of git and the sample under 1 MB', () => {
    const ignore = readFileSync(join(TEMPLATE, '.gitignore'), 'utf8');
    expect(ignore).toMatch(/^\/data\/curated\/$/m);
    expect(ignore).toMatch(/^\/\.weir\/$/m);
    const raw = join(TEMPLATE, 'data', 'raw');
    const bytes = filesUnder(raw).reduce((n, f) => n + statSync(join(raw, f)).size, 0);
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes).toBeLessThan(1_000_000);
  });

  describe('run through the engine API', () => {
    let ws: string;
    beforeAll(async () => {
      ws = workspaceCopy();
      const events: string[] = [];
      const outcome = await runPipelineFile({ file: join(ws, PIPELINE), useCache: false, onEvent: (e) => events.push(e.type) });
      expect(outcome.error?.message ?? null).toBeNull();
      expect(outcome.status).toBe('succeeded');
      expect(events).toContain('node_finished');
    });

    it('rejects exactly the out-of-spec batches, naming the failing assays, and releases the rest', async () => {
      const status = await releaseStatus(ws);
      expect(status).toHaveLength(40);
      const rejected = Object.fromEntries(status.filter((r) => r.release_status === 'REJECTED').map((r) => [r.batch_id, r.failing_assays]));
      expect(rejected).toEqual(REJECTED);
      for (const r of status.filter((x) => !(String(x.batch_id) in REJECTED))) {
        expect(r).toMatchObject({ release_status: 'RELEASED', failing_assays: null });
      }
    });

    it('computes batch KPIs from the cleaned data', async () => {
      const [k] = await rows(`SELECT
          count(*) AS batches,
          min(bioreactor_readings) AS min_readings, max(bioreactor_readings) AS max_readings,
          min(min_ph) AS lowest_ph, count(mean_do_pct) AS with_do, count(mean_viability_pct) AS with_viability,
          min(mean_viable_cells) AS min_cells
        FROM read_parquet(${q(join(ws, 'data/curated/batch_release.parquet'))})`);
      // 48 readings per batch; the probe glitches (pH 0 in the raw files) are dropped, not averaged in.
      expect(k).toMatchObject({ batches: 40n, min_readings: 48n, max_readings: 48n, with_do: 40n, with_viability: 40n });
      expect(Number(k!.lowest_ph)).toBeGreaterThan(6);
      const [raw] = await rows(`SELECT min(ph) AS ph FROM read_parquet(${q(join(ws, 'data/raw/bioreactor/*/*.parquet'))})`);
      expect(raw!.ph).toBe(0);
      // Cell counts reported in millions are converted: every batch is above 1e8 cells.
      expect(Number(k!.min_cells)).toBeGreaterThan(1e8);
      const [b7] = await rows(`SELECT mean_viability_pct, max_endotoxin_eu_ml FROM read_parquet(${q(join(ws, 'data/curated/batch_release.parquet'))}) WHERE batch_id = 'B0007'`);
      expect(b7).toEqual({ mean_viability_pct: 63.6, max_endotoxin_eu_ml: 0.28 });
    });

    it('writes de-duplicated assay results partitioned by assay, and a CSV summary', async () => {
      const parts = readdirSync(join(ws, 'data/curated/assay_results')).sort();
      // The folder output's ownership marker, then one folder per assay.
      expect(parts).toEqual(['.weir-output.json', ...['cd3_pct', 'endotoxin', 'sterility', 'vector_copy_number', 'viability', 'viable_cell_count'].map((a) => `assay_code=${a}`)]);
      const byStatus = await rows(`SELECT result_status, count(*) AS n FROM read_parquet(${q(join(ws, 'data/curated/assay_results/*/*.parquet'))}, hive_partitioning = true) GROUP BY ALL ORDER BY ALL`);
      // 241 raw rows, one an exact repeat: 240 results, 6 per batch.
      expect(byStatus).toEqual([
        { result_status: 'FAIL', n: 3n },
        { result_status: 'MISSING', n: 1n },
        { result_status: 'PASS', n: 236n },
      ]);
      const csv = readFileSync(join(ws, 'data/curated/release_summary.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).toBe('site,product,batches,released,rejected,release_rate,mean_viability_pct,mean_do_pct');
      const totals = csv.slice(1).map((l) => l.split(',')).reduce((t, c) => [t[0]! + Number(c[2]), t[1]! + Number(c[4])], [0, 0]);
      expect(totals).toEqual([40, Object.keys(REJECTED).length]);
    });

    it('gives byte-identical outputs on a second run, through the CLI', async () => {
      const first = curatedHashes(ws);
      // Seven data files and the partitioned output's marker.
      expect(Object.keys(first)).toHaveLength(9);
      rmSync(join(ws, 'data', 'curated'), { recursive: true });
      const res = await runWeir(['run', join(ws, PIPELINE), '--no-cache']);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(curatedHashes(ws)).toEqual(first);
    });
  });

  describe('run through the CLI', () => {
    it('applies the min_viability_pct parameter to the viability limit', async () => {
      const ws = workspaceCopy();
      const res = await runWeir(['run', join(ws, PIPELINE), '--param', 'min_viability_pct=80', '--json']);
      expect(res.code).toBe(0);
      expect(res.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type)).toContain('run_finished');
      const lowViability = [...rawViability(ws)].filter(([, v]) => v.some((x) => x < 80)).map(([id]) => id);
      // Batches between the specification (70 %) and the tighter limit exist in the sample.
      expect(lowViability.filter((id) => !(id in REJECTED)).length).toBeGreaterThan(0);
      const expected = [...new Set([...Object.keys(REJECTED), ...lowViability])].sort();
      const rejected = (await releaseStatus(ws)).filter((r) => r.release_status === 'REJECTED').map((r) => r.batch_id);
      expect(rejected).toEqual(expected);
    });

    it('cannot loosen the specification with the parameter', async () => {
      const ws = workspaceCopy();
      const res = await runWeir(['run', join(ws, PIPELINE), '--param', 'min_viability_pct=50']);
      expect(res.code).toBe(0);
      const rejected = (await releaseStatus(ws)).filter((r) => r.release_status === 'REJECTED').map((r) => r.batch_id);
      expect(rejected).toEqual(Object.keys(REJECTED));
      expect(existsSync(join(ws, '.weir', 'runs'))).toBe(true);
    });
  });
});
