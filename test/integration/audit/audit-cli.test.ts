import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/run/record';
import { auditLogPath } from '../../../src-main/engine/audit/audit-log';
import { runWeir } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

/** A workspace with one pipeline: seed rows → check → SQL → Parquet. */
function makeWorkspace(): string {
  const ws = tempDir('weir-audit-ws-');
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }));
  mkdirSync(join(ws, 'pipelines'));
  const pipeline = {
    format: 'weir.pipeline',
    version: 1,
    name: 'audited',
    params: { min_viability_pct: { type: 'number', default: 70 } },
    nodes: [
      {
        id: 'seed',
        name: 'results',
        kind: 'seed',
        config: {
          columns: [
            { name: 'batch_id', type: 'VARCHAR' },
            { name: 'viability_pct', type: 'DOUBLE' },
          ],
          rows: [
            ['B0001', 91.5],
            ['B0002', 88.25],
            ['B0003', 79.9],
          ],
        },
      },
      { id: 'chk', name: 'results_checked', kind: 'check', inputs: ['seed'], config: { rules: [{ type: 'not_null', column: 'batch_id' }, { type: 'range', column: 'viability_pct', min: 0, max: 100 }] } },
      { id: 'kpi', name: 'kpi', kind: 'sql', inputs: ['chk'], config: { sql: ['select count(*) as batches, round(avg(viability_pct), 4) as mean_viability', 'from results_checked', "where viability_pct >= getvariable('min_viability_pct')"] } },
      { id: 'out', name: 'out_kpi', kind: 'file_sink', inputs: ['kpi'], config: { path: 'data/curated/kpi.parquet', format: 'parquet' } },
    ],
  };
  writeFileSync(join(ws, 'pipelines', 'audited.weir.json'), JSON.stringify(pipeline, null, 2));
  return ws;
}

const PIPELINE = join('pipelines', 'audited.weir.json');
const logLines = (ws: string) => readFileSync(auditLogPath(ws), 'utf8').split('\n').slice(0, -1);
const writeLines = (ws: string, ls: string[]) => writeFileSync(auditLogPath(ws), ls.map((l) => `${l}\n`).join(''));
const record = (ws: string, runId: string) => JSON.parse(readFileSync(join(ws, '.weir', 'runs', `${runId}.json`), 'utf8')) as RunRecord;

async function runOnce(ws: string, extra: string[] = []): Promise<string> {
  const res = await runWeir(['run', join(ws, PIPELINE), '--json', ...extra]);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  const started = res.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; runId: string }).find((e) => e.type === 'run_started');
  return started!.runId;
}

/** A copy of the audited workspace to tamper with. */
function copyOf(ws: string): string {
  const dir = tempDir('weir-audit-tampered-');
  cpSync(ws, dir, { recursive: true });
  return dir;
}

describe('audit trail through the CLI', () => {
  let ws: string;
  let runIds: string[];

  beforeAll(async () => {
    ws = makeWorkspace();
    runIds = [];
    for (const p of ['70', '80', '85', '90']) runIds.push(await runOnce(ws, ['--param', `min_viability_pct=${p}`]));
  });

  // Each run that publishes appends two entries: its publish intent, then its record.
  it('appends every run to the log, its publish intent first; verify passes on the untouched log', async () => {
    const entries = logLines(ws).map((l) => JSON.parse(l) as { runId: string; record: { format: string } });
    expect(entries.map((e) => e.runId)).toEqual(runIds.flatMap((id) => [id, id]));
    expect(entries.map((e) => e.record.format)).toEqual(runIds.flatMap(() => ['weir.publish_intent', 'weir.run']));
    const res = await runWeir(['audit', 'verify', '--workspace', ws]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^audit log intact: 8 records; head seq 8, hash [0-9a-f]{64}\n$/);
    // From inside the workspace, without --workspace.
    const here = await runWeir(['audit', 'verify'], { cwd: join(ws, 'pipelines') });
    expect(here.code).toBe(0);
  });

  it('records who, where, what file and which parameters, and the checks', () => {
    const r = record(ws, runIds[1]!);
    expect(r).toMatchObject({ status: 'succeeded', params: { min_viability_pct: 80 }, pipeline: { name: 'audited', file: 'pipelines/audited.weir.json' } });
    expect(r.pipeline.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.user).toBeTruthy();
    expect(r.host).toBeTruthy();
    const chk = r.nodes.find((n) => n.name === 'results_checked')!;
    expect(chk.checks!.map((c) => [c.rule, c.passed])).toEqual([
      ['not_null_batch_id', true],
      ['range_viability_pct', true],
    ]);
    expect(existsSync(join(ws, '.weir', 'reports', `${runIds[1]}.html`))).toBe(true);
  });

  it('fails after one byte of a record is changed, naming the record', async () => {
    const t = copyOf(ws);
    const ls = logLines(t);
    ls[3] = ls[3]!.replace('"min_viability_pct":80', '"min_viability_pct":60');
    writeLines(t, ls);
    const res = await runWeir(['audit', 'verify', '--workspace', t]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`audit log TAMPERED: ${auditLogPath(t)}`);
    expect(res.stdout).toContain(`line 4, seq 4, run ${runIds[1]}: the record was edited`);
  });

  it('fails after a record is deleted, naming the gap and the orphaned run record', async () => {
    const t = copyOf(ws);
    const ls = logLines(t);
    // The third run's record (seq 6) deleted; its intent (seq 5) stays.
    writeLines(t, [...ls.slice(0, 5), ls[6]!, ls[7]!]);
    const res = await runWeir(['audit', 'verify', '--workspace', t, '--json']);
    expect(res.code).toBe(1);
    const v = JSON.parse(res.stdout) as { ok: boolean; problems: { seq?: number; runId?: string; message: string }[] };
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatchObject({ line: 6, seq: 7, runId: runIds[3] });
    expect(v.problems[0]!.message).toBe(`seq 6 is missing between seq 5 (run ${runIds[2]}) and seq 7 (run ${runIds[3]}): deleted`);
    expect(v.problems).toContainEqual(expect.objectContaining({ runId: runIds[2], message: expect.stringContaining('no entry in the audit log') }));
  });

  it('fails after two records are swapped, naming both', async () => {
    const t = copyOf(ws);
    const ls = logLines(t);
    // The second run's record (seq 4) and the third run's intent (seq 5).
    writeLines(t, [...ls.slice(0, 3), ls[4]!, ls[3]!, ...ls.slice(5)]);
    const res = await runWeir(['audit', 'verify', '--workspace', t]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`records seq 4 (run ${runIds[1]}) and seq 5 (run ${runIds[2]}) are in swapped order`);
  });

  it('shows a recorded run, by id or a unique prefix; --json gives the exact record', async () => {
    const id = runIds[2]!;
    const res = await runWeir(['audit', 'show', id, '--workspace', ws]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`run ${id}  (audit seq 6`);
    expect(res.stdout).toContain('params: min_viability_pct=85');
    expect(res.stdout).toMatch(/pass {1}range_viability_pct: ok: viability_pct in \[0, 100\]/);
    const json = await runWeir(['audit', 'show', id, '--workspace', ws, '--json']);
    const entry = JSON.parse(json.stdout) as { seq: number; record: RunRecord };
    expect(entry.seq).toBe(6);
    expect(entry.record).toEqual(record(ws, id));
    const missing = await runWeir(['audit', 'show', 'nope', '--workspace', ws]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`weir: no run "nope" in the audit log of ${ws}\n`);
    const prefix = await runWeir(['audit', 'show', id.slice(0, -1), '--workspace', ws, '--json']);
    expect(prefix.code).toBe(0);
    expect((JSON.parse(prefix.stdout) as { runId: string }).runId).toBe(id);
    const ambiguous = await runWeir(['audit', 'show', id.slice(0, 4), '--workspace', ws]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/matches \d+ runs .*: give more of the run id/);
    const list = await runWeir(['audit', 'list', '--workspace', ws]);
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines.filter((l) => /intent +publish: out_kpi/.test(l))).toHaveLength(4);
  });

  it('gives identical output hashes for two runs of the same inputs', async () => {
    // --hash-views and --hash-tables: views and tables are hashed too (by default only outputs are).
    const a = await runOnce(ws, ['--no-cache', '--hash-views', '--hash-tables']);
    const b = await runOnce(ws, ['--no-cache', '--hash-views', '--hash-tables']);
    const hashes = (id: string) => Object.fromEntries(record(ws, id).nodes.map((n) => [n.name, n.outputHash]));
    expect(hashes(a)).toEqual(hashes(b));
    expect(Object.values(hashes(a)).every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))).toBe(true);
    // A different parameter gives different data downstream, so a different hash.
    expect(hashes(a).kpi).not.toBe(hashes(runIds[3]!).kpi);
    expect((await runWeir(['audit', 'verify', '--workspace', ws])).code).toBe(0);
  });

  it('--no-record leaves no run record, no audit entry and no report', async () => {
    const t = makeWorkspace();
    await runOnce(t, ['--no-record']);
    expect(existsSync(join(t, '.weir', 'audit'))).toBe(false);
    expect(existsSync(join(t, '.weir', 'reports'))).toBe(false);
  });

  it('explains its usage', async () => {
    const res = await runWeir(['audit']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/expected an audit command\nusage: weir audit verify/);
  });
});
