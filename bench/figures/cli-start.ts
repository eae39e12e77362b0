import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../lib/dataset';
import { ratioOf, type FigureRow } from '../lib/report';
import { measure } from '../lib/stats';
import type { BenchContext } from './context';

const TRIVIAL = {
  format: 'weir.pipeline',
  version: 1,
  name: 'trivial',
  params: {},
  nodes: [
    {
      id: 'seed_specs',
      name: 'specs',
      kind: 'seed',
      inputs: [],
      config: { columns: [{ name: 'assay', type: 'VARCHAR' }, { name: 'min_value', type: 'DOUBLE' }], rows: [['viability', 70], ['cd3_pct', 80]] },
    },
    { id: 'strict_specs', name: 'strict_specs', kind: 'sql', inputs: ['seed_specs'], config: { sql: ['select assay, min_value', 'from specs', 'where min_value > 75'] } },
  ],
  layout: {},
};

function wallMs(args: string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
  return ms;
}

/** Figure 6: the committed CLI bundle running a two-node pipeline, start to exit, against `node -e 0`. */
export async function cliStartFigure(ctx: BenchContext): Promise<FigureRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-cli-'));
  try {
    writeFileSync(join(dir, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1 }));
    writeFileSync(join(dir, 'trivial.weir.json'), JSON.stringify(TRIVIAL, null, 2));
    const weirArgs = [join(REPO, 'bin', 'weir.cjs'), 'run', 'trivial.weir.json', '--no-record'];
    const nodeArgs = ['-e', '0'];
    // Warm-up: the OS file cache holds node, the bundle and DuckDB's shared library, as on a server that runs weir often.
    wallMs(weirArgs, dir);
    wallMs(nodeArgs, dir);
    const runs = Math.max(10, ctx.opts.runs * 2);
    const weir: number[] = [];
    const node: number[] = [];
    for (let i = 0; i < runs; i++) {
      weir.push(wallMs(weirArgs, dir));
      node.push(wallMs(nodeArgs, dir));
    }
    const w = measure(weir, 'ms');
    const b = measure(node, 'ms');
    ctx.log(`figure 6: weir run ${w.median.toFixed(0)} ms, node -e 0 ${b.median.toFixed(0)} ms`);
    return [
      {
        id: '6',
        figure: `CLI cold start: \`weir run\` of a two-node pipeline, process start to exit (${runs} runs)`,
        weir: w,
        baseline: b,
        baselineLabel: '`node -e 0`',
        ...ratioOf(w, b),
        target: '< 0.5 s',
        met: w.median < 500,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
