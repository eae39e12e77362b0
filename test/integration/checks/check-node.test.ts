import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../shared/run/events';
import type { NodeRecord } from '../../../shared/run/record';
import { reportPath } from '../../../src-main/engine/audit/report/check-report';
import { runPipelineFile } from '../../support/engine';
import { runWeir } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

type Rule = Record<string, unknown>;

/**
 * batches (seed) → batches_checked (check; also reads sites) → released (sql) → out_released (file)
 *           └────→ out_all (file): a branch that does not pass through the check
 */
function writePipeline(dir: string, rules: Rule[], rows: unknown[][], checkInputs = ['seed_batches', 'seed_sites']): string {
  const file = join(dir, `p-${Math.random().toString(36).slice(2, 8)}.weir.json`);
  const pipeline = {
    format: 'weir.pipeline',
    version: 1,
    name: 'check_demo',
    nodes: [
      {
        id: 'seed_batches',
        name: 'batches',
        kind: 'seed',
        inputs: [],
        config: {
          columns: [
            { name: 'batch_id', type: 'VARCHAR' },
            { name: 'site', type: 'VARCHAR' },
            { name: 'viability_pct', type: 'DOUBLE' },
          ],
          rows,
        },
      },
      { id: 'seed_sites', name: 'sites', kind: 'seed', inputs: [], config: { columns: [{ name: 'code', type: 'VARCHAR' }], rows: [['BOS'], ['LEI']] } },
      { id: 'chk', name: 'batches_checked', kind: 'check', inputs: checkInputs, config: { rules } },
      { id: 'released', name: 'released', kind: 'sql', inputs: ['chk'], config: { sql: ['select batch_id, viability_pct', 'from batches_checked'] } },
      { id: 'out_released', name: 'out_released', kind: 'file_sink', inputs: ['released'], config: { path: 'out/released.csv', format: 'csv' } },
      { id: 'out_all', name: 'out_all', kind: 'file_sink', inputs: ['seed_batches'], config: { path: 'out/all.csv', format: 'csv' } },
    ],
  };
  writeFileSync(file, JSON.stringify(pipeline, null, 2));
  return file;
}

const GOOD_ROWS = [
  ['B0001', 'BOS', 91.5],
  ['B0002', 'LEI', 88],
  ['B0003', null, 79.9],
];
const RULES: Rule[] = [
  { type: 'not_null', column: 'batch_id' },
  { type: 'unique', columns: ['batch_id'] },
  { type: 'range', column: 'viability_pct', min: 70, max: 100, name: 'viability_in_spec', description: 'Release specification: viability 70 to 100 %' },
  { type: 'relationship', column: 'site', to: 'sites', field: 'code' },
  { type: 'row_count', min: 1 },
];

const node = (nodes: NodeRecord[], name: string) => nodes.find((n) => n.name === name)!;

describe('check node in a run', () => {
  it('passes its input through unchanged when every rule passes, and records each result', async () => {
    const dir = tempDir();
    const outcome = await runPipelineFile({ file: writePipeline(dir, RULES, GOOD_ROWS), useCache: false, hashViews: true, hashTables: true });
    expect(outcome.error).toBeNull();
    expect(outcome.status).toBe('succeeded');
    const chk = node(outcome.record.nodes, 'batches_checked');
    expect(chk.status).toBe('done');
    expect(chk.checks!.map((c) => [c.rule, c.passed, c.failingRows])).toEqual([
      ['not_null_batch_id', true, 0],
      ['unique_batch_id', true, 0],
      ['viability_in_spec', true, 0],
      ['relationship_site_to_sites', true, 0],
      ['row_count', true, 0],
    ]);
    // A view over its input: the same rows, so the same output hash.
    expect(chk.rows).toBe(3);
    expect(chk.outputHash).toBe(node(outcome.record.nodes, 'batches').outputHash);
    expect(readFileSync(join(dir, 'out/released.csv'), 'utf8').trim().split('\n')).toHaveLength(4);
    expect(existsSync(reportPath(dir, outcome.runId))).toBe(true);
  });

  it('blocks everything downstream when an error rule fails; other branches still run', async () => {
    const dir = tempDir();
    const events: RunEvent[] = [];
    const rows = [...GOOD_ROWS, ['B0004', 'BOS', 61.2], ['B0005', 'LEI', 64]];
    const outcome = await runPipelineFile({ file: writePipeline(dir, RULES, rows), useCache: false, onEvent: (e) => events.push(e) });
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toBe('node "batches_checked": check failed: viability_in_spec (2 failing rows)');
    const nodes = outcome.record.nodes;
    const chk = node(nodes, 'batches_checked');
    expect(chk).toMatchObject({ status: 'failed', error: 'check failed: viability_in_spec (2 failing rows)' });
    const failed = chk.checks!.find((c) => c.rule === 'viability_in_spec')!;
    expect(failed).toMatchObject({ passed: false, failingRows: 2, severity: 'error', type: 'range', description: 'Release specification: viability 70 to 100 %' });
    expect(failed.sample).toEqual([
      { batch_id: 'B0004', site: 'BOS', viability_pct: 61.2 },
      { batch_id: 'B0005', site: 'LEI', viability_pct: 64 },
    ]);
    expect(node(nodes, 'released').status).toBe('skipped');
    expect(node(nodes, 'out_released').status).toBe('skipped');
    expect(existsSync(join(dir, 'out/released.csv'))).toBe(false);
    expect(node(nodes, 'out_all').status).toBe('done');
    expect(events.find((e) => e.type === 'node_failed')).toMatchObject({ name: 'batches_checked' });
    expect(events.filter((e) => e.type === 'node_skipped').map((e) => (e as { name: string }).name).sort()).toEqual(['out_released', 'released']);
  });

  it('keeps the previous output when a later run is blocked', async () => {
    const dir = tempDir();
    const ok = await runPipelineFile({ file: writePipeline(dir, RULES, GOOD_ROWS), useCache: false, hashViews: true });
    expect(ok.status).toBe('succeeded');
    const before = readFileSync(join(dir, 'out/released.csv'), 'utf8');
    const bad = await runPipelineFile({ file: writePipeline(dir, RULES, [...GOOD_ROWS, ['B0001', 'BOS', 90]]), useCache: false });
    expect(bad.error?.message).toBe('node "batches_checked": check failed: unique_batch_id (2 failing rows)');
    expect(readFileSync(join(dir, 'out/released.csv'), 'utf8')).toBe(before);
  });

  it('records a failing warn rule, tells the shell, and goes on', async () => {
    const dir = tempDir();
    const events: RunEvent[] = [];
    const rules = [{ type: 'not_null', column: 'site', severity: 'warn' }, { type: 'row_count', min: 1 }];
    const outcome = await runPipelineFile({ file: writePipeline(dir, rules, GOOD_ROWS), useCache: false, onEvent: (e) => events.push(e) });
    expect(outcome.status).toBe('succeeded');
    const chk = node(outcome.record.nodes, 'batches_checked');
    expect(chk.status).toBe('done');
    expect(chk.checks![0]).toMatchObject({ rule: 'not_null_site', severity: 'warn', passed: false, failingRows: 1 });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'node_warning', name: 'batches_checked', message: 'check not_null_site (warn): 1 failing row: expected site is not null' }),
    );
    expect(existsSync(join(dir, 'out/released.csv'))).toBe(true);
  });

  it('reports every failing error rule in one message', async () => {
    const dir = tempDir();
    const outcome = await runPipelineFile({ file: writePipeline(dir, RULES, [...GOOD_ROWS, [null, 'XXX', 50]]), useCache: false });
    expect(outcome.error?.message).toBe(
      'node "batches_checked": checks failed: not_null_batch_id (1 failing row), viability_in_spec (1 failing row), relationship_site_to_sites (1 failing row)',
    );
  });

  it('fails the node, naming the rule, when a rule cannot run', async () => {
    const dir = tempDir();
    const outcome = await runPipelineFile({ file: writePipeline(dir, [{ type: 'not_null', column: 'lot' }], GOOD_ROWS), useCache: false });
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toMatch(/^node "batches_checked": rule "not_null_lot": Binder Error: .*lot/);
    expect(node(outcome.record.nodes, 'out_released').status).toBe('skipped');
  });

  it('refuses a relationship to a node that is not one of its inputs, before running anything', async () => {
    const dir = tempDir();
    const file = writePipeline(dir, RULES, GOOD_ROWS, ['seed_batches']);
    await expect(runPipelineFile({ file, useCache: false })).rejects.toThrow(
      /: check "batches_checked", Rules #\d+ › To: rule "relationship_site_to_sites": "sites" must also be an input of the check node \(add it to its inputs\)/,
    );
    const res = await runWeir(['run', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/"sites" must also be an input/);
  });

  it('exits 1 from the CLI when a check blocks, and weir plan shows the SQL of each rule', async () => {
    const dir = tempDir();
    const file = writePipeline(dir, RULES, [...GOOD_ROWS, ['B0004', 'BOS', 161.2]]);
    const res = await runWeir(['run', file, '--no-cache']);
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe('weir: node "batches_checked": check failed: viability_in_spec (1 failing row)');
    const plan = await runWeir(['plan', file]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('CREATE OR REPLACE VIEW "batches_checked" AS SELECT * FROM "batches"');
    expect(plan.stdout).toContain('-- rule viability_in_spec (error): viability_pct in [70, 100]');
    expect(plan.stdout).toContain('NOT EXISTS (SELECT 1 FROM "sites" AS p WHERE p."code" = t."site")');
  });
});
