import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postApi, signInWith, startServe, type Served } from '../../e2e/support/serve';
import { WEIR_BIN } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';
import { startMcp, type McpSession } from '../mcp/mcp-client';

/**
 * SQL that never ends, from a hostile (or careless) pipeline file: the process stays
 * responsive, the user can cancel, and a signal stops it. Two kinds of endless statement:
 *
 * - ENDLESS: a cross join of ranges that would count for days; DuckDB looks at an interrupt
 *   between vectors, so a cancel stops it at once.
 * - STUCK: one scalar call, `levenshtein` over two 150,000-character strings, which DuckDB does
 *   not interrupt: it computes for a minute and a half or more (longer on a loaded machine)
 *   whatever is cancelled. Each test below ends while such a statement is still computing.
 *
 * Before the fixes, each of these hung: libuv's four worker threads all held by DuckDB
 * queries left none for a file read; a cancelled preview's session, and every later preview
 * of the file, waited for the stuck statement; `weir serve`, `weir run` and a second Ctrl-C
 * waited for it even in `process.exit` (Node joins its worker threads on exit); `weir mcp`
 * ignored its client's cancel, so one endless preview held the file's queue for good.
 */

const ENDLESS = 'select count(*) as n from range(10000000000000) a, range(1000000) b';
const STUCK = "select levenshtein(repeat('a', 150000), repeat('b', 150000)) as d from s1";

const root = tempDir('weir-endless-');
const ws = join(root, 'ws');

type Node = { id: string; name: string; kind: string; inputs: string[]; config: Record<string, unknown> };
const seed: Node = { id: 's1', name: 's1', kind: 'seed', inputs: [], config: { columns: [{ name: 'a', type: 'INTEGER' }], rows: [[1], [2]] } };
const sql = (id: string, text: string): Node => ({ id, name: id, kind: 'sql', inputs: ['s1'], config: { sql: [text] } });
const cheap = sql('cheap', 'select a + 1 as b from s1');

function doc(name: string, nodes: Node[]) {
  return { format: 'weir.pipeline', version: 1, name, params: {}, nodes, layout: {} };
}

function write(name: string, nodes: Node[]): string {
  const rel = `pipelines/${name}.weir.json`;
  writeFileSync(join(ws, rel), JSON.stringify(doc(name, nodes), null, 2));
  return rel;
}

beforeAll(() => {
  mkdirSync(join(ws, 'pipelines'), { recursive: true });
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }));
});

describe('weir run with a statement DuckDB cannot interrupt', () => {
  it('stops on one SIGTERM within its grace (by the signal: shell status 143), with one line, publishing nothing', { timeout: 90_000 }, async () => {
    const file = join(ws, write('stuck_run', [seed, sql('q', STUCK), { id: 'out', name: 'out', kind: 'file_sink', inputs: ['q'], config: { path: 'out/stuck.parquet', format: 'parquet' } }]));
    const child = spawn(process.execPath, [WEIR_BIN, 'run', file, '--json'], { cwd: ws, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      // The sink's step runs the stuck statement (its COPY reads q).
      if (!sent && /"node_started"[^\n]*"out"/.test(stdout)) {
        sent = true;
        setTimeout(() => child.kill('SIGTERM'), 500);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
    expect(sent, stdout + stderr).toBe(true);
    // Ended by SIGTERM itself: a shell, cron or Kubernetes reports 143, as the documented exit code.
    expect([code, signal]).toEqual([null, 'SIGTERM']);
    expect(stderr).toBe('weir: stopped by SIGTERM: the run had not finished cancelling 10 s after it (DuckDB was in a statement it cannot interrupt)\n');
    // Its staging folder may be there; no output in it.
    expect(existsSync(join(ws, 'out')) ? readdirSync(join(ws, 'out')) : []).toEqual([]);
  });
});

describe('weir serve with previews that never end', () => {
  let served: Served;
  let cookie: string;
  const call = async (method: string, input: unknown) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of several methods
    return (await postApi<{ ok: boolean; result?: any; error?: { kind: string; message: string } }>(served, cookie, method, input)).body;
  };
  const preview = (path: string, nodeId: string, nodes: Node[]) => call('pipeline.preview', { root: ws, path, nodeId, pipeline: doc(path.slice(10, -10), nodes), limit: 10 });

  beforeAll(async () => {
    served = await startServe({ workspace: ws, home: join(root, 'home') });
    cookie = await signInWith(served.url);
  }, 120_000);

  afterAll(async () => {
    if (served?.child.exitCode === null && served.child.signalCode === null) served.child.kill('SIGKILL');
  });

  it('answers other requests while more endless previews run than libuv has threads by default (4)', { timeout: 90_000 }, async () => {
    const files = Array.from({ length: 6 }, (_, i) => write(`endless_${i}`, [seed, sql('q', ENDLESS)]));
    let settled = 0;
    const running = files.map((f) => preview(f, 'q', [seed, sql('q', ENDLESS)]).finally(() => settled++));
    // The six statements are under way once the first of them has had time to start; the read
    // below needs a worker thread for the file, which the four default ones would not have.
    await new Promise((r) => setTimeout(r, 2000));
    const read = await call('pipeline.read', { root: ws, path: files[0] });
    expect(read.ok).toBe(true);
    expect(read.result.text).toContain('range(10000000000000)');
    expect(settled).toBe(0);
    // A new preview of each file cancels its endless one (interrupted at once).
    const replaced = await Promise.all(files.map((f) => preview(f, 'cheap', [seed, sql('q', ENDLESS), cheap])));
    for (const r of replaced) expect(r.result?.rows).toEqual([[2], [3]]);
    for (const r of await Promise.all(running)) expect(r.error?.kind).toBe('cancelled');
  });

  it('a preview stuck in a statement DuckDB cannot interrupt: its cancel answers, and the next preview of the file answers', { timeout: 60_000 }, async () => {
    const nodes = [seed, sql('q', STUCK), cheap];
    const file = write('stuck_preview', nodes);
    let stuckAnswered = false;
    const stuck = preview(file, 'q', nodes).finally(() => (stuckAnswered = true));
    await new Promise((r) => setTimeout(r, 1500));
    // The designer's cancel: a new preview of the same file.
    const next = await preview(file, 'cheap', nodes);
    expect(next.ok, JSON.stringify(next)).toBe(true);
    expect(next.result.rows).toEqual([[2], [3]]);
    expect(stuckAnswered).toBe(true);
    expect((await stuck).error).toEqual({ kind: 'cancelled', message: 'preview cancelled' });
    // The session was made anew; it keeps working.
    expect((await preview(file, 'cheap', nodes)).result.rows).toEqual([[2], [3]]);
  });

  it('stops on SIGTERM while that statement still computes', { timeout: 60_000 }, async () => {
    const nodes = [seed, sql('q', STUCK)];
    const file = write('stuck_at_stop', nodes);
    const stuck = preview(file, 'q', nodes).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 1500));
    const ended = await served.stop();
    // Exited on its own (0) when nothing was left computing; by SIGTERM after the grace otherwise.
    expect(ended === 0 || served.child.signalCode === 'SIGTERM').toBe(true);
    expect(await stuck).toBeInstanceOf(Error);
  });
});

describe('weir mcp with a preview that never ends', () => {
  let mcp: McpSession;
  afterAll(async () => {
    await mcp?.close();
  });

  it("a client's cancel stops the preview in DuckDB: the file's next previews and its lineage answer", { timeout: 90_000 }, async () => {
    const file = write('endless_mcp', [seed, sql('q', ENDLESS), cheap]);
    mcp = await startMcp(ws);
    const controller = new AbortController();
    const endless = mcp.call('preview_node', { path: file, node: 'q' }, { signal: controller.signal, timeout: 600_000 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 2000));
    controller.abort();
    expect(String(await endless)).toMatch(/abort/i);
    const next = await mcp.call('preview_node', { path: file, node: 'cheap' });
    expect(next.isError, next.text).toBe(false);
    expect(next.json.rows).toEqual([[2], [3]]);
    const lineage = await mcp.call('lineage', { path: file, node: 'cheap', column: 'b' });
    expect(lineage.isError, lineage.text).toBe(false);
  });
});
