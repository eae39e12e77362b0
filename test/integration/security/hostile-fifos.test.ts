import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runWeir } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

/**
 * A workspace that arrives as an archive or a copied folder can hold named pipes where Weir keeps
 * or reads its own files: the audit log and head, run records and reports under `.weir/`, the
 * workspace's `signers.json` and `weir.audit.json`, a sink's `.weir-output.json`. A plain read of
 * a FIFO waits for a writer forever; before the fix `weir run` with `.weir/audit/log.jsonl` a FIFO
 * never ended, and did not even end on SIGTERM (its clean cancel waited on the blocked read).
 * Every command must end within the test's bound with an exit code, and a refusal is one line
 * naming the file.
 */

const TEMPLATE = fileURLToPath(new URL('../../../templates/cgt-batch-release', import.meta.url));
/** A hung command is killed after this; a working one ends in a few seconds. */
const BOUND_MS = 40_000;

/** The committed CLI in `cwd`, killed if it has not ended after the bound; `signal` null when it ended by itself. */
async function weir(args: string[], cwd: string) {
  const r = await runWeir(args, { cwd, timeoutMs: BOUND_MS });
  return { ...r, signal: r.signal ?? null };
}

let base = '';
let runId = '';

beforeAll(async () => {
  base = join(tempDir('weir-fifo-'), 'base');
  cpSync(TEMPLATE, base, { recursive: true });
  const git = (...a: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a], { cwd: base, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'init');
  const first = await weir(['run', 'pipelines/batch_release.weir.json'], base);
  expect(first.code, first.stderr).toBe(0);
  runId = readdirSync(join(base, '.weir', 'runs')).find((n) => n.endsWith('.json'))!.replace(/\.json$/, '');
}, 120_000);

/** A copy of the base workspace with `rel` replaced by a named pipe. */
function withFifo(rel: string): string {
  const ws = join(tempDir('weir-fifo-case-'), 'ws');
  cpSync(base, ws, { recursive: true, verbatimSymlinks: true });
  const p = join(ws, ...rel.split('/'));
  rmSync(p, { force: true });
  execFileSync('mkfifo', [p]);
  return ws;
}

/** Ended by itself (no kill), with an exit code; a failure is one `weir:` line naming the pipe. */
function expectRefusedNaming(r: Awaited<ReturnType<typeof weir>>, name: string, code: number): void {
  expect(r.signal, `killed after ${BOUND_MS} ms: the command waited on the FIFO`).toBeNull();
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^weir: /);
  expect(lines[0]).toContain(name);
  expect(lines[0]).toContain('named pipe (FIFO)');
}

describe('named pipes where Weir reads its own files: refused, never waited on', () => {
  it('.weir/audit/log.jsonl: run, audit verify and audit list end with one line', { timeout: 3 * BOUND_MS }, async () => {
    const ws = withFifo('.weir/audit/log.jsonl');
    expectRefusedNaming(await weir(['run', 'pipelines/batch_release.weir.json'], ws), 'log.jsonl', 2);
    expectRefusedNaming(await weir(['audit', 'verify'], ws), 'log.jsonl', 2);
    expectRefusedNaming(await weir(['audit', 'list'], ws), 'log.jsonl', 2);
  });

  it('.weir/audit/head.json: a run refuses the trail as damaged instead of waiting', { timeout: BOUND_MS + 10_000 }, async () => {
    const r = await weir(['run', 'pipelines/batch_release.weir.json'], withFifo('.weir/audit/head.json'));
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^weir: audit trail of .* is broken: the audit log's head \(.*head\.json\) is damaged/);
  });

  it("a run record (.weir/runs/<id>.json): evidence names it, audit verify reports it", { timeout: 2 * BOUND_MS }, async () => {
    const ws = withFifo(`.weir/runs/${runId}.json`);
    expectRefusedNaming(await weir(['evidence', runId, '--out', join(ws, '..', 'evidence')], ws), `${runId}.json`, 2);
    const verify = await weir(['audit', 'verify'], ws);
    expect(verify.signal).toBeNull();
    expect(verify.code).toBe(1);
  });

  it("a run's check report (.weir/reports/<id>.html): evidence names it", { timeout: BOUND_MS + 10_000 }, async () => {
    const ws = withFifo(`.weir/reports/${runId}.html`);
    expectRefusedNaming(await weir(['evidence', runId, '--out', join(ws, '..', 'evidence')], ws), `${runId}.html`, 2);
  });

  it('signers.json: a run names it', { timeout: BOUND_MS + 10_000 }, async () => {
    expectRefusedNaming(await weir(['run', 'pipelines/batch_release.weir.json'], withFifo('signers.json')), 'signers.json', 2);
  });

  it('weir.audit.json: a run ends, publishing nothing, naming it', { timeout: BOUND_MS + 10_000 }, async () => {
    const r = await weir(['run', 'pipelines/batch_release.weir.json'], withFifo('weir.audit.json'));
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('weir.audit.json');
    expect(r.stderr).toContain('named pipe (FIFO)');
  });

  it("a sink folder's .weir-output.json: the sink refuses the folder instead of waiting", { timeout: BOUND_MS + 10_000 }, async () => {
    const r = await weir(['run', 'pipelines/batch_release.weir.json'], withFifo('data/curated/assay_results/.weir-output.json'));
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^weir: node "out_assay_results": .*"data\/curated\/assay_results" is a folder Weir did not write/);
  });
});
