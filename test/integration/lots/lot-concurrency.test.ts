import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAuditEntries } from '../../../src-main/engine/audit/audit-log';
import { verifyAuditLog } from '../../../src-main/engine/audit/verify';
import { runWeir, WEIR_BIN } from '../../support/cli';
import { testEngine } from '../../support/engine';
import { tempDir } from '../../support/temp-dir';

// Lots of one `weir run` run several at a time in one process (--lot-concurrency, lots/run-lots.ts).
const LOTS = Array.from({ length: 8 }, (_, i) => `L${i + 1}`);

/** A partitioned pipeline over data/lots/<lot>/rows.csv, one output folder per lot under `out`. */
function pipeline(name: string, out: string, spin: number) {
  return {
    format: 'weir.pipeline',
    version: 1,
    name,
    partitions: { key: 'batch_id', sources: { raw: { path: 'data/lots/{batch_id}/rows.csv' } } },
    nodes: [
      { id: 'raw', name: 'raw', kind: 'file_source', inputs: [], config: { path: 'data/lots/*/rows.csv', format: 'csv' } },
      {
        id: 'rows',
        name: 'rows',
        kind: 'sql',
        inputs: ['raw'],
        config: {
          materialize: 'table',
          // The key as each lot's session sees it: lots at once must not see each other's. `spin`
          // makes a lot slow enough (a second or so) for a signal to land while two are computing.
          sql: [
            "select getvariable('batch_id') as lot, id::int as id, value::int * 2 as doubled,",
            `  (select count(*) from range(${spin}) t(x) where x % 7 = id) as spin`,
            'from raw',
          ],
        },
      },
      { id: 'check', name: 'check', kind: 'check', inputs: ['rows'], config: { rules: [{ type: 'not_null', column: 'id' }] } },
      { id: 'out', name: 'out', kind: 'file_sink', inputs: ['rows'], config: { path: `${out}/rows.csv`, format: 'csv', order_by: ['id'] } },
    ],
  };
}

function workspace(spin: number): { root: string; file: (name: string) => string } {
  const root = tempDir('weir-lot-concurrency-');
  writeFileSync(join(root, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }));
  mkdirSync(join(root, 'pipelines'));
  for (const [i, lot] of LOTS.entries()) {
    mkdirSync(join(root, 'data', 'lots', lot), { recursive: true });
    writeFileSync(join(root, 'data', 'lots', lot, 'rows.csv'), `id,value\n${[1, 2, 3].map((id) => `${id},${i * 10 + id}`).join('\n')}\n`);
  }
  for (const name of ['seq', 'par', 'ref']) writeFileSync(join(root, 'pipelines', `${name}.weir.json`), JSON.stringify(pipeline(name, `data/${name}`, spin)));
  return { root, file: (name) => join(root, 'pipelines', `${name}.weir.json`) };
}

/** Pairs of runs (by their record files) whose start-to-finish spans overlap. */
function overlapping(records: string[]): number {
  const spans = records.map((p) => JSON.parse(readFileSync(p, 'utf8')) as { startedAt: string; finishedAt: string }).map((r) => [Date.parse(r.startedAt), Date.parse(r.finishedAt)] as const);
  let n = 0;
  for (const [i, a] of spans.entries()) for (const b of spans.slice(i + 1)) if (a[0] < b[1] && b[0] < a[1]) n += 1;
  return n;
}

const output = (root: string, name: string, lot: string) => join(root, 'data', name, `batch_id=${lot}`, 'rows.csv');

describe('lots run several at a time in one process', () => {
  let ws: ReturnType<typeof workspace>;
  beforeAll(() => {
    ws = workspace(1000);
  });

  it('publish the same outputs and lot states as one at a time, each lot with its own key, record and audit entry', async () => {
    const engine = testEngine();
    const seq = await engine.run({ file: ws.file('seq'), lotConcurrency: 1 });
    const par = await engine.run({ file: ws.file('par'), lotConcurrency: 3 });
    for (const out of [seq, par]) {
      expect(out.error?.message ?? null).toBeNull();
      expect(out.lots!.map((l) => [l.key, l.outcome])).toEqual(LOTS.map((l) => [l, 'succeeded']));
    }
    // Run one at a time, no lot's run overlaps another's; three at a time, they do.
    expect(overlapping(seq.lots!.map((l) => l.recordPath!))).toBe(0);
    expect(overlapping(par.lots!.map((l) => l.recordPath!))).toBeGreaterThan(0);
    for (const lot of LOTS) {
      const text = readFileSync(output(ws.root, 'par', lot), 'utf8');
      expect(text).toBe(readFileSync(output(ws.root, 'seq', lot), 'utf8'));
      expect(text.split('\n')[1]).toMatch(new RegExp(`^${lot},1,`));
    }
    // Every lot is up to date, its state naming the run that published it.
    for (const [name, out] of [['seq', seq], ['par', par]] as const) {
      const listed = await engine.partitions({ file: ws.file(name) });
      expect(listed.partitions.map((p) => [p.key, p.state, p.runId])).toEqual(out.lots!.map((l) => [l.key, 'up_to_date', l.runId]));
    }
    // One audit entry per lot run (in the order they finished), the chain intact.
    const entries = await readAuditEntries(ws.root);
    const runs = entries.filter((e) => (e.record as { format?: string } | undefined)?.format === 'weir.run').map((e) => e.runId);
    expect([...runs].sort()).toEqual([...seq.lots!, ...par.lots!].map((l) => l.runId).sort());
    expect((await verifyAuditLog(ws.root)).ok).toBe(true);
  });

  it('a failing lot does not stop the others', async () => {
    const engine = testEngine();
    writeFileSync(join(ws.root, 'data', 'lots', 'L2', 'rows.csv'), 'id,value\n1,not a number\n');
    const out = await engine.run({ file: ws.file('par'), lotConcurrency: 3, lots: { partitions: 'all' } });
    expect(out.status).toBe('failed');
    expect(out.lots!.map((l) => [l.key, l.outcome])).toEqual(LOTS.map((l) => [l, l === 'L2' ? 'failed' : 'succeeded']));
    expect(out.error?.message).toMatch(/^1 of 8 lot\(s\) failed: L2 /);
    const listed = await engine.partitions({ file: ws.file('par') });
    expect(listed.partitions.map((p) => [p.key, p.state])).toEqual(LOTS.map((l) => [l, l === 'L2' ? 'failed' : 'up_to_date']));
    // The failed lot kept what it published before; the others published again.
    for (const lot of LOTS.filter((l) => l !== 'L2')) expect(listed.partitions.find((p) => p.key === lot)!.runId).toBe(out.lots!.find((l) => l.key === lot)!.runId);
    expect((await verifyAuditLog(ws.root)).ok).toBe(true);
  });
});

describe('a signal while two lots are computing', () => {
  /**
   * `weir run --lot-concurrency 2 --json`; once a lot has finished and two others are in their
   * SQL node (nothing of theirs published yet), the process gets `signal`.
   */
  function interrupted(root: string, file: string, signal: NodeJS.Signals): Promise<{ code: number | null; finished: number }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [WEIR_BIN, 'run', file, '--lot-concurrency', '2', '--json', '--no-cache'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      const inSql = new Set<string>();
      let finished = 0;
      let sent = false;
      let buffer = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        buffer += c;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const e = JSON.parse(buffer.slice(0, nl)) as { type: string; runId?: string; name?: string };
          buffer = buffer.slice(nl + 1);
          if (e.type === 'node_started' && e.name === 'rows') inSql.add(e.runId!);
          if (e.type === 'node_started' && e.name === 'out') inSql.delete(e.runId!);
          if (e.type === 'run_finished') (inSql.delete(e.runId!), (finished += 1));
          if (!sent && finished >= 1 && inSql.size === 2) {
            sent = true;
            child.kill(signal);
          }
        }
      });
      child.stderr.resume();
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, finished }));
    });
  }

  it('leaves the unfinished lots unpublished and re-runnable (SIGINT, then SIGKILL), and the next run completes them', { timeout: 600_000 }, async () => {
    const ws = workspace(60_000_000);
    const file = ws.file('par');
    const states = async () => new Map((await testEngine().partitions({ file })).partitions.map((p) => [p.key, p.state]));
    let upToDate = 0;
    for (const signal of ['SIGINT', 'SIGKILL'] as const) {
      const { code, finished } = await interrupted(ws.root, file, signal);
      expect(code).toBe(signal === 'SIGINT' ? 130 : null);
      const now = await states();
      const done = LOTS.filter((l) => now.get(l) === 'up_to_date');
      // A lot is up to date only once it published; the two computing published nothing.
      for (const lot of done) expect(existsSync(output(ws.root, 'par', lot)), lot).toBe(true);
      const unpublished = LOTS.filter((l) => !existsSync(output(ws.root, 'par', l)));
      for (const lot of unpublished) expect(now.get(lot), lot).toBe('new');
      expect(unpublished.length).toBeGreaterThanOrEqual(2);
      expect(done.length).toBeGreaterThan(upToDate);
      expect(done.length - upToDate).toBeLessThanOrEqual(finished);
      upToDate = done.length;
    }
    const before = await states();
    const rest = await runWeir(['run', file, '--json'], { cwd: ws.root });
    expect(rest.code, rest.stderr).toBe(0);
    const last = JSON.parse(rest.stdout.trim().split('\n').at(-1)!) as { type: string; lots: { key: string; outcome: string }[] };
    expect(last.lots.map((l) => [l.key, l.outcome])).toEqual(LOTS.filter((l) => before.get(l) !== 'up_to_date').map((l) => [l, 'succeeded']));
    expect([...(await states()).values()]).toEqual(LOTS.map(() => 'up_to_date'));
    // The same outputs as one process running every lot one at a time.
    const ref = await runWeir(['run', ws.file('ref'), '--lot-concurrency', '1'], { cwd: ws.root });
    expect(ref.code, ref.stderr).toBe(0);
    for (const lot of LOTS) expect(readFileSync(output(ws.root, 'par', lot), 'utf8')).toBe(readFileSync(output(ws.root, 'ref', lot), 'utf8'));
    // The cancelled and the killed runs left the chain intact.
    expect((await verifyAuditLog(ws.root)).ok).toBe(true);
  });
});
