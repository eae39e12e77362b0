import { dirname } from 'node:path';
import { findWorkspace, loadPipelineFile, planPipeline } from '../../engine';
import { parse, onePositional } from '../support/args';
import { EXIT_OK } from '../support/exit-codes';
import { signalCheckpoint } from '../support/signals';
import { safeJson, safeLines } from '../support/terminal-text';

const USAGE = 'weir plan FILE [--select EXPR] [--json]';
const DETAILS = [
  'Loads the pipeline and prints, without running anything, the order its nodes run in and',
  'the SQL statements each runs.',
  '',
  'options:',
  '  -s, --select EXPR          only some nodes: name, +name (with upstream), name+ (with downstream)',
  '      --json                 the steps as one JSON document',
].join('\n');

/**
 * Output in chunks: one write per statement is 100,000s of system calls for a big pipeline.
 * `write` says when a chunk went out, so the caller can let a pending signal in.
 */
function bufferedStdout(): { write: (text: string) => boolean; flush: () => void } {
  let parts: string[] = [];
  let size = 0;
  const flush = () => {
    if (parts.length) process.stdout.write(parts.join(''));
    parts = [];
    size = 0;
  };
  return {
    write(text) {
      parts.push(text);
      size += text.length;
      if (size < 64 * 1024) return false;
      flush();
      return true;
    },
    flush,
  };
}

/** The order nodes run in and the SQL each runs, without running anything. */
export async function planCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { select: { type: 'string', short: 's' }, json: { type: 'boolean' }, debug: { type: 'boolean' } },
    USAGE,
    DETAILS,
  );
  const loaded = await loadPipelineFile(onePositional(positionals, USAGE));
  const workspace = findWorkspace(dirname(loaded.path));
  await signalCheckpoint();
  const plan = await planPipeline(loaded.pipeline, workspace, 'plan', (values.select as string | undefined) ?? null);
  const steps = plan.nodes.map((p, i) => ({
    step: i + 1,
    id: p.node.id,
    name: p.node.name,
    kind: p.node.kind,
    relation: p.compiled.relation,
    inputs: p.ctx.inputs.map((x) => x.name),
    statements: p.compiled.statements,
  }));
  await signalCheckpoint();
  if (values.json) {
    process.stdout.write(safeJson({ pipeline: plan.pipeline.name, params: plan.pipeline.params, steps }, 2) + '\n');
    return EXIT_OK;
  }
  const out = bufferedStdout();
  const params = Object.entries(plan.pipeline.params);
  out.write(`pipeline ${plan.pipeline.name}: ${steps.length} steps\n`);
  if (params.length) {
    out.write(safeLines(`parameters (DuckDB variables): ${params.map(([k, s]) => `${k} ${s.type}${s.default !== undefined ? ` = ${JSON.stringify(s.default)}` : ''}`).join(', ')}\n`));
  }
  for (const s of steps) {
    const from = s.inputs.length ? ` ← ${s.inputs.join(', ')}` : '';
    out.write(`\n${s.step}. ${s.name} [${s.kind} → ${s.relation}]${from}\n`);
    // A statement ends with a newline where user SQL closes it (so a `--` comment cannot reach past it).
    for (const st of s.statements) if (out.write(safeLines(st.trimEnd()).replace(/^/gm, '   ') + ';\n')) await signalCheckpoint();
  }
  out.flush();
  return EXIT_OK;
}
