import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/run/record';
import { runWeir } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

const TEMPLATE = fileURLToPath(new URL('../../../templates/cgt-batch-release', import.meta.url));
const PIPELINE = join('pipelines', 'batch_release.weir.json');
/** B0017's viability in the shipped sample; 781 is the same result with the decimal point slipped. */
const CLEAN_LINE = /^(S\d+,B0017,Viability,)78\.1,/m;

function workspaceCopy(): string {
  const dir = tempDir('weir-out-of-spec-');
  cpSync(TEMPLATE, dir, {
    recursive: true,
    filter: (p) => {
      const rel = relative(TEMPLATE, p).split(sep).join('/');
      return !/^(\.weir|data\/curated)(\/|$)/.test(rel);
    },
  });
  return dir;
}

function setB0017Viability(ws: string, value: string): void {
  const file = join(ws, 'data', 'raw', 'assays.csv');
  const text = readFileSync(file, 'utf8');
  const line = /^S\d+,B0017,Viability,[^,]+,/m;
  expect(text).toMatch(line);
  writeFileSync(file, text.replace(line, (m) => m.replace(/,[^,]+,$/, `,${value},`)));
}

function curatedHashes(ws: string): Record<string, string> {
  const root = join(ws, 'data', 'curated');
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(root);
  return out;
}

function latestRecord(ws: string, runId: string): RunRecord {
  return JSON.parse(readFileSync(join(ws, '.weir', 'runs', `${runId}.json`), 'utf8')) as RunRecord;
}

async function run(ws: string): Promise<{ code: number | null; stderr: string; runId: string }> {
  const res = await runWeir(['run', join(ws, PIPELINE), '--json']);
  const started = res.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; runId?: string }).find((e) => e.type === 'run_started');
  return { code: res.code, stderr: res.stderr, runId: started!.runId! };
}

const SINKS = ['out_batch_release', 'out_assay_results', 'out_release_summary'];

describe('CGT template with one out-of-spec batch', () => {
  it('starts from the shipped sample, where B0017 has a plausible viability (78.1 %)', () => {
    expect(readFileSync(join(TEMPLATE, 'data', 'raw', 'assays.csv'), 'utf8')).toMatch(CLEAN_LINE);
  });

  it('stops at the check: nothing downstream is published, exit code 1, and the report names the batch and the rule', async () => {
    const ws = workspaceCopy();
    setB0017Viability(ws, '781');

    const bad = await run(ws);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('weir: node "assays_checked": check failed: percentages_within_0_100 (1 failing row)\n');
    expect(existsSync(join(ws, 'data', 'curated'))).toBe(false);

    const record = latestRecord(ws, bad.runId);
    expect(record.status).toBe('failed');
    const status = Object.fromEntries(record.nodes.map((n) => [n.name, n.status]));
    for (const sink of SINKS) expect(status[sink]).toBe('skipped');
    expect(status).toMatchObject({ assays_checked: 'failed', assay_results: 'skipped', batch_release: 'skipped', release_checked: 'skipped' });
    const failed = record.nodes.find((n) => n.name === 'assays_checked')!.checks!.filter((c) => !c.passed);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ rule: 'percentages_within_0_100', severity: 'error', failingRows: 1, sample: [expect.objectContaining({ batch_id: 'B0017', result_value: 781 })] });

    // The report: the rule failed, and its failing rows name the batch.
    const html = readFileSync(join(ws, '.weir', 'reports', `${bad.runId}.html`), 'utf8');
    expect(html).toMatch(/<span class="badge fail">FAIL<\/span><\/td><td><code>percentages_within_0_100<\/code>/);
    const samples = html.split('<h3>percentages_within_0_100: failing rows</h3>')[1]?.split('</table>')[0] ?? '';
    expect(samples).toContain('<td>B0017</td>');
    expect(samples).toContain('<td>781</td>');
    expect(html).toContain('everything downstream of this check was skipped');

    // And the failed run is in the audit trail, which is intact.
    const verify = await runWeir(['audit', 'verify', '--workspace', ws]);
    expect(verify.code).toBe(0);
    const show = await runWeir(['audit', 'show', bad.runId, '--workspace', ws]);
    expect(show.stdout).toContain('FAIL percentages_within_0_100: 1 failing row');
    expect(show.stdout).toContain('"batch_id":"B0017"');
  });

  it('leaves what an earlier good run published untouched', async () => {
    const ws = workspaceCopy();
    const good = await run(ws);
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    const published = curatedHashes(ws);
    expect(Object.keys(published).length).toBeGreaterThan(0);
    const checks = latestRecord(ws, good.runId).nodes.flatMap((n) => n.checks ?? []);
    expect(checks.length).toBeGreaterThan(6);
    expect(checks.filter((c) => !c.passed)).toEqual([]);

    setB0017Viability(ws, '781');
    const bad = await run(ws);
    expect(bad.code).toBe(1);
    expect(curatedHashes(ws)).toEqual(published);
  });

  it('would have released the batch without the check (why it is severity error)', async () => {
    const ws = workspaceCopy();
    setB0017Viability(ws, '781');
    const file = join(ws, PIPELINE);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { name: string; config: { rules?: { name?: string; severity?: string }[] } }[] };
    const rule = doc.nodes.find((n) => n.name === 'assays_checked')!.config.rules!.find((r) => r.name === 'percentages_within_0_100')!;
    rule.severity = 'warn';
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const res = await runWeir(['run', file]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('! assays_checked: check percentages_within_0_100 (warn): 1 failing row');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const rows = (await conn.runAndReadAll(`SELECT release_status FROM read_parquet('${join(ws, 'data/curated/batch_release.parquet')}') WHERE batch_id = 'B0017'`)).getRowObjectsJS();
    conn.closeSync();
    db.closeSync();
    expect(rows).toEqual([{ release_status: 'RELEASED' }]);
  });
});
