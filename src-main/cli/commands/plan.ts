import { dirname } from 'node:path';
import { loadPipelineFile } from '../../engine/pipeline/load';
import { planPipeline } from '../../engine/run/plan';
import { findWorkspace } from '../../engine/workspace/workspace';
import { parse, onePositional } from '../args';
import { EXIT_OK } from '../exit-codes';

const USAGE = 'weir plan FILE [--select EXPR] [--json]';

/** The order nodes run in and the SQL each runs, without running anything. */
export async function planCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { select: { type: 'string', short: 's' }, json: { type: 'boolean' }, debug: { type: 'boolean' } },
    USAGE,
  );
  const loaded = await loadPipelineFile(onePositional(positionals, USAGE));
  const workspace = findWorkspace(dirname(loaded.path));
  const plan = planPipeline(loaded.pipeline, workspace, 'plan', (values.select as string | undefined) ?? null);
  const steps = plan.nodes.map((p, i) => ({
    step: i + 1,
    id: p.node.id,
    name: p.node.name,
    kind: p.node.kind,
    relation: p.compiled.relation,
    inputs: p.ctx.inputs.map((x) => x.name),
    statements: p.compiled.statements,
  }));
  if (values.json) {
    process.stdout.write(JSON.stringify({ pipeline: plan.pipeline.name, params: plan.pipeline.params, steps }, null, 2) + '\n');
    return EXIT_OK;
  }
  const params = Object.entries(plan.pipeline.params);
  process.stdout.write(`pipeline ${plan.pipeline.name}: ${steps.length} steps\n`);
  if (params.length) {
    process.stdout.write(`parameters (DuckDB variables): ${params.map(([k, s]) => `${k} ${s.type}${s.default !== undefined ? ` = ${JSON.stringify(s.default)}` : ''}`).join(', ')}\n`);
  }
  for (const s of steps) {
    const from = s.inputs.length ? ` ← ${s.inputs.join(', ')}` : '';
    process.stdout.write(`\n${s.step}. ${s.name} [${s.kind} → ${s.relation}]${from}\n`);
    for (const st of s.statements) process.stdout.write(st.replace(/^/gm, '   ') + ';\n');
  }
  return EXIT_OK;
}
