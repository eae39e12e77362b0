import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { parsePipeline } from '../../../shared/pipeline/parse';
import type { Pipeline, PipelineNode } from '../../../shared/pipeline/schema';
import { runPipelineFile } from '../../support/engine';
import { TEMPLATE_PIPELINE, copyTemplate } from '../../support/templates';
import { initRepo, sh } from '../git/helpers';

export const PIPELINE = TEMPLATE_PIPELINE['cgt-batch-release'];

export interface ReviewRepo {
  dir: string;
  file: string;
  /** The commit the base run ran from, and the three changes after it. */
  base: string;
  comment: string;
  addedColumn: string;
  breaking: string;
  baseRunId: string;
}

function edit(file: string, change: (p: Pipeline) => void): void {
  const p = parsePipeline(readFileSync(file, 'utf8')).pipeline;
  change(p);
  writeFileSync(file, serializePipeline(p));
}

export function sqlOf(p: Pipeline, name: string): { node: PipelineNode; sql: string[] } {
  const node = p.nodes.find((n) => n.name === name)!;
  return { node, sql: (node.config as { sql: string[] }).sql };
}

function commit(dir: string, message: string): string {
  sh(dir, 'commit', '--quiet', '-am', message);
  return sh(dir, 'rev-parse', 'HEAD').trim();
}

/**
 * The CGT batch-release template in a git repository, run once at its first commit (the
 * base run record), then three commits on top, each a change of its own from the base:
 * a comment, an added column, and a changed rounding with a tightened specification limit.
 * Each change is made on the base's file, so each commit compared with the base is that change only.
 */
export async function reviewRepo(prefix = 'weir-review-'): Promise<ReviewRepo> {
  const dir = copyTemplate('cgt-batch-release', { prefix });
  const file = join(dir, PIPELINE);
  initRepo(dir);
  sh(dir, 'add', '-A');
  sh(dir, 'commit', '--quiet', '-m', 'base');
  const base = sh(dir, 'rev-parse', 'HEAD').trim();
  const run = await runPipelineFile({ file });
  if (run.status !== 'succeeded') throw new Error(`the base run failed: ${run.error?.message}`);
  const baseText = readFileSync(file, 'utf8');
  const fromBase = (message: string, change: (p: Pipeline) => void) => {
    writeFileSync(file, baseText);
    edit(file, change);
    return commit(dir, message);
  };
  const comment = fromBase('comment only', (p) => {
    const { sql } = sqlOf(p, 'bioreactor_kpis');
    sql.splice(2, 0, '-- Reviewed for the 2026 validation: no change to the logic.');
    sql[sql.length - 1] = `${sql[sql.length - 1]}   -- one row per batch`;
  });
  const addedColumn = fromBase('add temp_range_c', (p) => {
    const { sql } = sqlOf(p, 'bioreactor_kpis');
    const i = sql.findIndex((l) => l.includes('as peak_lactate_g_l'));
    sql[i] = `${sql[i]},`;
    sql.splice(i + 1, 0, '  round(max(temp_c) - min(temp_c), 4) as temp_range_c');
  });
  const breaking = fromBase('round DO to 1 decimal, viability limit 90 %, percentages at most 95', (p) => {
    const { sql } = sqlOf(p, 'bioreactor_kpis');
    const i = sql.findIndex((l) => l.includes('as mean_do_pct'));
    sql[i] = sql[i]!.replace('round(avg(do_pct), 4)', 'round(avg(do_pct), 1)');
    p.params.min_viability_pct!.default = 90;
    const check = p.nodes.find((n) => n.name === 'assays_checked')!;
    const rule = (check.config as { rules: { name?: string; max?: number }[] }).rules.find((r) => r.name === 'percentages_within_0_100')!;
    rule.max = 95;
  });
  writeFileSync(file, baseText);
  sh(dir, 'checkout', '--quiet', '--', PIPELINE);
  writeFileSync(file, readFileSync(file, 'utf8'));
  return { dir, file, base, comment, addedColumn, breaking, baseRunId: run.runId };
}
