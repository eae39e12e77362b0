import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { nodeKindSpec } from '../../../shared/nodes/registry';
import { parsePipeline } from '../../../shared/pipeline/parse';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { lockState } from '../../../src-main/engine/duckdb/instance';
import { readAuditEntries } from '../../../src-main/engine/audit/audit-log';
import { readGitAnchors } from '../../../src-main/engine/audit/anchor/git-anchor';
import { verifyAnchors } from '../../../src-main/engine/audit/anchor/verify-anchors';
import { CHECKPOINT_THRESHOLD } from '../../../src-main/engine/duckdb/storage-settings';
import { runPipelineFile as runIn } from '../../../src-main/engine/run/run-pipeline';
import { guardPipeline, type GuardMemo } from '../../../src-main/engine/run/plan-guard';
import { guardNode, nodeNameIndex } from '../../../src-main/engine/sandbox/node-guard';
import { testConnection } from '../../support/duckdb';
import { testContext } from '../../support/engine';
import { TEMPLATE_PIPELINE, copyTemplate } from '../../support/templates';

// What a cold run no longer pays for (bench figure 1a, docs/benchmarks.md), each without
// giving up what it was for: the sandbox still parses every SQL text of the file, once, in one
// query; and DuckDB no longer rewrites a run's in-memory tables in an automatic checkpoint.

/** A connection that tells `count` every statement it is given. */
function countingConnection(conn: DuckDBConnection, count: (sql: string) => void): DuckDBConnection {
  return (
    new Proxy(conn, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        if (prop === 'run' || prop === 'runAndReadAll' || prop === 'runAndRead' || prop === 'stream' || prop === 'streamAndReadAll') {
          return (sql: string, ...rest: unknown[]) => {
            count(sql);
            return (value as (...a: unknown[]) => unknown).call(target, sql, ...rest);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    })
  );
}

/** DuckDB instances whose connections count the statements they are given, by a test's rule. */
function countingFactory(count: (sql: string) => void): (inner: (allowed: readonly string[]) => Promise<DuckDBInstance>) => (allowed: readonly string[]) => Promise<DuckDBInstance> {
  const wrapInstance = (instance: DuckDBInstance): DuckDBInstance =>
    new Proxy(instance, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (prop === 'connect') return async () => countingConnection(await target.connect(), count);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return (inner) => async (allowed) => wrapInstance(await inner(allowed));
}

/** Clock ticks per second of /proc's times (USER_HZ). */
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/**
 * A process's start time in /proc (clock ticks since boot) as epoch milliseconds, within about
 * a tick: /proc/uptime is read now and gives the boot's time on the same clock.
 */
function forkedAtMs(ticks: number): number {
  const uptimeS = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Date.now() - uptimeS * 1000 + (ticks * 1000) / CLK_TCK;
}

const templatePipeline = (ws: string): Pipeline => parsePipeline(readFileSync(join(ws, TEMPLATE_PIPELINE['cgt-batch-release']), 'utf8')).pipeline;

describe('the sandbox parse of a run', () => {
  it('parses every SQL text of the file in one query, and the plan reuses those verdicts', async () => {
    const ws = copyTemplate('cgt-batch-release', { prefix: 'weir-overheads-' });
    const statements: string[] = [];
    const base = testContext();
    const ctx = testContext({ duckdb: countingFactory((sql) => statements.push(sql))(base.duckdb) });
    const outcome = await runIn(ctx, { file: join(ws, TEMPLATE_PIPELINE['cgt-batch-release']), useCache: false });
    expect(outcome.status, outcome.error?.message).toBe('succeeded');
    const parses = statements.filter((s) => s.includes('json_serialize_sql'));
    expect(parses).toHaveLength(1);
    // That one query holds every SQL field of every node (the template has 10 SQL nodes and
    // two check nodes with expressions), not a sample of them.
    const pipeline = templatePipeline(ws);
    for (const node of pipeline.nodes.filter((n) => n.kind === 'sql')) {
      const firstLine = (node.config as { sql: string[] }).sql.find((l) => l.trim() && !l.trim().startsWith('--'))!;
      expect(parses[0]).toContain(firstLine.replace(/'/g, "''"));
    }
  });

  it('gives the same verdicts in one query as text by text: refusals, their places, and the parameters read', async () => {
    const ws = copyTemplate('cgt-batch-release', { prefix: 'weir-overheads-' });
    const pipeline = templatePipeline(ws);
    // Two hostile edits among the template's good nodes: a second statement in a SQL node, and
    // a check expression that reads a file.
    const hostile: Pipeline = {
      ...pipeline,
      nodes: pipeline.nodes.map((n) => {
        if (n.name === 'readings') return { ...n, config: { ...n.config, sql: ['select * from raw_bioreactor;', "COPY (SELECT 1) TO '/tmp/x.csv'"] } };
        if (n.name === 'batches') return { ...n, config: { ...n.config, sql: ['select *', 'from raw_batches', "where batch_id in (select * from read_text('/etc/passwd'))"] } };
        return n;
      }),
    };
    const conn = await testConnection();
    const memo: GuardMemo = new Map();
    const batched = await guardPipeline(conn, hostile, memo);
    // Text by text, as before: each node's texts parsed one query each.
    const names = nodeNameIndex(hostile);
    const byId = new Map(hostile.nodes.map((n) => [n.id, n]));
    const single: Awaited<ReturnType<typeof guardPipeline>> = [];
    for (const [i, node] of hostile.nodes.entries()) {
      const spec = nodeKindSpec(node.kind)!;
      const config = spec.config.parse(node.config);
      const inputNames = node.inputs.map((id) => byId.get(id)?.name ?? id);
      const generated = spec.queries?.(config, { nodeName: node.name, nodeId: node.id, inputNames, fanOut: 0 }) ?? [];
      single.push(...(await guardNode(conn, node, i, config, inputNames, names, generated)).issues);
    }
    expect(batched).toEqual(single);
    expect(batched.map((i) => i.message).join('\n')).toMatch(/node "readings": holds 2 statements/);
    expect(batched.map((i) => i.message).join('\n')).toMatch(/node "batches": line 3: calls the table function read_text\(\)/);
    // Only passing nodes are remembered for the plan's check; the two refused ones are not.
    expect(memo.size).toBe(hostile.nodes.length - 2);
    // The specs node reads the parameter min_viability_pct: the remembered verdict says so.
    expect([...memo.values()].some((v) => v.variables?.includes('min_viability_pct'))).toBe(true);
    conn.closeSync();
  });

  it('parses a large file in queries of 250 texts, each verdict still its own node\'s', async () => {
    const seed = { id: 's', name: 's', kind: 'seed', inputs: [], config: { columns: [{ name: 'a', type: 'INTEGER' }], rows: [[1]] } };
    const nodes = Array.from({ length: 600 }, (_, i) => ({
      id: `q${i}`,
      name: `q${i}`,
      kind: 'sql',
      inputs: ['s'],
      config: { sql: [i === 551 ? "select * from read_csv('/etc/passwd')" : i === 260 ? 'select * from s; select 1' : `select a + ${i} as b from s`] },
    }));
    const pipeline = parsePipeline(JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'big', nodes: [seed, ...nodes] })).pipeline;
    const statements: string[] = [];
    const conn = countingConnection(await testConnection(), (sql) => statements.push(sql));
    const issues = await guardPipeline(conn, pipeline);
    expect(statements.filter((s) => s.includes('json_serialize_sql'))).toHaveLength(3);
    expect(issues.map((i) => [i.path, i.message.split(':')[0]])).toEqual([
      ['nodes[261].config.sql', 'node "q260"'],
      ['nodes[552].config.sql', 'node "q551"'],
    ]);
    conn.closeSync();
  });
});

describe("a run's DuckDB instance", () => {
  it('does not checkpoint its in-memory catalogs by itself, and is locked as before', async () => {
    const ws = copyTemplate('cgt-batch-release', { prefix: 'weir-overheads-' });
    const instance = await testContext().duckdb([ws]);
    const state = await lockState(instance);
    expect(state.lock_configuration).toBe('true');
    expect(state.enable_external_access).toBe('false');
    expect(state.checkpoint_threshold).toBe('931.3 GiB');
    expect(CHECKPOINT_THRESHOLD).toBe('1TB');
    // A pipeline cannot lower it again (the configuration is locked).
    const conn = await instance.connect();
    await expect(conn.run("SET checkpoint_threshold = '16MB'")).rejects.toThrow(/lock|configuration/i);
    conn.closeSync();
  });
});

describe('git while a run holds its catalog', () => {
  // A process forks each git it starts: the bigger its memory (the run's DuckDB catalog), the
  // longer (about 80 ms per GiB here). So the repository questions are asked before any node
  // runs, and the git that writes the anchor (fast-import) is started then too, and fed at the end.

  /** The template in a workspace (a repository or not), and runs of it that log every git started. */
  function gitLoggingWorkspace(inRepo: boolean) {
    const ws = copyTemplate('cgt-batch-release', { prefix: 'weir-overheads-git-' });
    const bin = mkdtempSync(join(tmpdir(), 'weir-git-log-'));
    const log = join(bin, 'calls.log');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    // Each git started logs when it was forked, who started it (its parent process) and its
    // arguments. When: the kernel's start time of the process (/proc/PID/stat, field 22, in clock
    // ticks since boot), not a clock read by the script, which a loaded machine may run long
    // after the fork (a full suite on 2 busy cores saw fast-import "start" after the first node).
    writeFileSync(join(bin, 'git'), `#!/bin/sh\nread -r stat < /proc/$$/stat\nfield22() { shift 19; t=$1; }\nfield22 \${stat##*) }\necho "$t $PPID $*" >> '${log}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
    if (inRepo) {
      execFileSync(realGit, ['init', '-q'], { cwd: ws });
      execFileSync(realGit, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '-A'], { cwd: ws });
      execFileSync(realGit, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'template'], { cwd: ws });
    }
    const ctx = testContext({ processEnv: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });
    return {
      ws,
      async run() {
        writeFileSync(log, '');
        const outcome = await runIn(ctx, { file: join(ws, TEMPLATE_PIPELINE['cgt-batch-release']), useCache: false });
        expect(outcome.record.status).toBe('succeeded');
        const firstNode = Math.min(...outcome.record.nodes.filter((n) => n.startedAt).map((n) => Date.parse(n.startedAt!)));
        const calls = readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => /^(\d+) (\d+) (.*)$/.exec(l)!)
          .map(([, ticks, ppid, args]) => ({ atMs: forkedAtMs(Number(ticks)), parent: Number(ppid), args: args!.replace(/^(-c \S+ )+/, '') }));
        return { outcome, firstNode, calls };
      },
    };
  }

  it.each([['outside a repository', false], ['in a repository', true]])('asks its repository questions before the first node starts (%s)', async (_label, inRepo) => {
    const { ws, run } = gitLoggingWorkspace(inRepo);
    const { outcome, firstNode, calls } = await run();
    const questions = calls.filter((c) => /rev-parse (HEAD|--show-toplevel)/.test(c.args));
    // HEAD for the record's commit; the top folder for the anchor, asked once for the run (the
    // start's trail check, which looks at the anchor when the trail is empty, takes that answer).
    // Outside any repository (no .git above the workspace) git is not asked at all
    // (git/no-repository.ts).
    expect(questions.map((c) => c.args)).toEqual(inRepo ? ['rev-parse HEAD', 'rev-parse --show-toplevel'] : []);
    if (!inRepo) expect(calls.map((c) => c.args)).toEqual([]);
    for (const q of questions) expect(q.atMs).toBeLessThan(firstNode);
    // In a repository the anchor is still written, by the git started before the first node.
    const fastImport = calls.filter((c) => c.args.startsWith('fast-import'));
    expect(fastImport.length).toBe(inRepo ? 1 : 0);
    for (const c of fastImport) expect(c.atMs).toBeLessThan(firstNode);
    const entry = (await readAuditEntries(ws)).at(-1)!;
    expect((await readGitAnchors(process.env, ws)).anchors.map((a) => [a.seq, a.hash, a.runId])).toEqual(inRepo ? [[entry.seq, entry.hash, outcome.runId]] : []);
  });

  // A workspace's first recorded run is the exception: with an empty trail, the append checks under
  // the trail's lock that git holds no anchor of it (a deleted trail), which asks git at the end.
  it.each([['outside a repository', false], ['in a repository', true]])('starts no git once its first node started, the anchor included (%s)', async (_label, inRepo) => {
    const { ws, run } = gitLoggingWorkspace(inRepo);
    const first = await run();
    const { outcome, firstNode, calls } = await run();
    // Git's own helpers (fast-import may start one to unpack its objects) are not forked from this process.
    const late = calls.filter((c) => c.parent === process.pid && c.atMs >= firstNode);
    expect(late.map((c) => c.args)).toEqual([]);
    expect(calls.filter((c) => c.args.startsWith('fast-import')).length).toBe(inRepo ? 1 : 0);
    // Both runs' entries are anchored (each the head after its record), and the trail verifies against them.
    const records = (await readAuditEntries(ws)).filter((e) => e.record && (e.record as { format?: string }).format === 'weir.run');
    expect(records.map((e) => e.runId)).toEqual([first.outcome.runId, outcome.runId]);
    expect((await readGitAnchors(process.env, ws)).anchors.map((a) => [a.seq, a.hash])).toEqual(inRepo ? records.map((e) => [e.seq, e.hash]) : []);
    if (inRepo) expect((await verifyAnchors(ws, process.env)).ok).toBe(true);
  });
});
