import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/run/record';
import { runWeir } from '../../support/cli';
import { treeHashes } from '../../support/find-files';
import { TEMPLATE_PIPELINE, copyTemplate, templateDir } from '../../support/templates';

const TEMPLATE = templateDir('cgt-batch-release');
const PIPELINE = TEMPLATE_PIPELINE['cgt-batch-release'];
/** B0017's viability in the shipped sample; 781 is the same result with the decimal point slipped. */
const CLEAN_LINE = /^(S\d+,B0017,Viability,)78\.1,/m;

const workspaceCopy = () => copyTemplate('cgt-batch-release', { prefix: 'weir-out-of-spec-' });
const curatedHashes = (ws: string) => treeHashes(join(ws, 'data', 'curated'));

function setB0017Viability(ws: string, value: string): void {
  const file = join(ws, 'data', 'raw', 'assays.csv');
  const text = readFileSync(file, 'utf8');
  const line = /^S\d+,B0017,Viability,[^,]+,/m;
  expect(text).toMatch(line);
  writeFileSync(file, text.replace(line, (m) => m.replace(/,[^,]+,$/, `,${value},`)));
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
