import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEIR_BIN } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

/**
 * SIGTERM and Ctrl-C at any stage end `weir` with one line and 128 + the signal's number
 * (143, 130). To hit a stage exactly, a preload (`node --require`) sends the signal to the
 * process itself at a chosen moment: when the first npm package is required (the heavy
 * imports), when the big file is parsed, when output starts.
 */

const dir = tempDir('weir-signals-');
const seed = (id: string, name: string) => ({ id, name, kind: 'seed', inputs: [] as string[], config: { columns: [{ name: 'a', type: 'INTEGER' }], rows: [[1]] } });
const doc = (nodes: unknown[]) => JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes, layout: {} });
const small = join(dir, 'small.weir.json');
writeFileSync(small, doc([seed('s', 'src')]));
const big = join(dir, 'big.weir.json');
writeFileSync(big, doc(Array.from({ length: 100_000 }, (_, i) => seed(`n${i}`, `n${i}`))));

/** A preload that sends `signal` to its own process the first time `when` holds. */
function preload(name: string, signal: string, when: 'require-npm' | 'parse-big' | 'first-output'): string {
  const path = join(dir, `${name}.cjs`);
  const hooks = {
    'require-npm': `const M = require('node:module'); const req = M.prototype.require;
      M.prototype.require = function (id) { if (!/^(node:|\\.|\\/)/.test(id)) fire(); return req.apply(this, arguments); };`,
    'parse-big': `const parse = JSON.parse; JSON.parse = function (text) { if (typeof text === 'string' && text.length > 1e6) fire(); return parse.apply(this, arguments); };`,
    'first-output': `const write = process.stdout.write; process.stdout.write = function () { fire(); return write.apply(this, arguments); };`,
  };
  writeFileSync(
    path,
    `let fired = false;
     function fire() { if (fired) return; fired = true; process.stderr.write('SENT ' + Date.now() + '\\n'); process.kill(process.pid, '${signal}'); }
     ${hooks[when]}`,
  );
  return path;
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** stderr without the preload's own SENT line */
  stderr: string;
  /** ms from the signal being sent to the process ending */
  afterSignal: number;
}

function weir(args: string[], opts: { preload?: string; onStdout?: (chunk: string, kill: (s: NodeJS.Signals) => void) => void } = {}): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.preload ? ['--require', opts.preload] : []), WEIR_BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      opts.onStdout?.(c, (s) => {
        sentAt ||= Date.now();
        child.kill(s);
      });
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const sent = /^SENT (\d+)\n/m.exec(stderr);
      if (sent) sentAt = Number(sent[1]);
      resolve({ code, signal, stdout, stderr: stderr.replace(/^SENT \d+\n/m, ''), afterSignal: Date.now() - sentAt });
    });
  });
}

describe('signals are answered from the first instruction', () => {
  it('a SIGTERM while the first npm package loads: exit 143, one line, nothing started', async () => {
    for (const command of ['validate', 'plan', 'run']) {
      const res = await weir([command, small], { preload: preload(`early-${command}`, 'SIGTERM', 'require-npm') });
      // Killed by the signal (code null) would mean no handler was installed yet.
      expect(res.signal, command).toBeNull();
      expect(res.code, command).toBe(143);
      // zod and DuckDB's JS are inside the bundle: a run's first npm package is DuckDB's native
      // binding, loaded once the run can be cancelled, so its one line says so.
      expect(res.stderr, command).toBe(command === 'run' ? 'weir: the run was cancelled before it started\n' : 'weir: stopped by SIGTERM\n');
      expect(res.stdout).toBe('');
    }
    // The run never started: no run record, no audit entry.
    expect(existsSync(join(dir, '.weir', 'runs'))).toBe(false);
    expect(existsSync(join(dir, '.weir', 'audit'))).toBe(false);
  });

  it('Ctrl-C while a 100,000-node file is parsed: exit 130 once parsing is over, nothing planned or printed', async () => {
    const res = await weir(['plan', big], { preload: preload('parse-int', 'SIGINT', 'parse-big') });
    expect(res.code).toBe(130);
    expect(res.stderr).toBe('weir: stopped by SIGINT\n');
    expect(res.stdout).toBe('');
    // The parse finishes (synchronous), then the signal is handled: nothing was planned or
    // printed. (The bound is wall-clock time on a shared machine: it only rules out a hang.)
    expect(res.afterSignal).toBeLessThan(30_000);
  });

  it('a SIGTERM while a big plan is being written stops it there', async () => {
    const res = await weir(['plan', big], { preload: preload('output-term', 'SIGTERM', 'first-output') });
    expect(res.code).toBe(143);
    expect(res.stderr).toBe('weir: stopped by SIGTERM\n');
    // The whole plan is about 7 MB; it stopped within a chunk or two.
    expect(res.stdout.length).toBeGreaterThan(0);
    expect(res.stdout.length).toBeLessThan(1_000_000);
    expect(res.afterSignal).toBeLessThan(30_000);
  });

  it('a SIGTERM during a run cancels it cleanly: exit 143, one line, a record that says cancelled', async () => {
    const slow = { id: 'q', name: 'slow', kind: 'sql', inputs: ['s'], config: { materialize: 'table', sql: ['select sum(hash(i, a)) as h', 'from src, range(5000000000) t(i)', 'group by a'] } };
    const file = join(dir, 'slow.weir.json');
    writeFileSync(file, doc([seed('s', 'src'), slow]));
    let sent = false;
    const res = await weir(['run', file, '--json'], {
      onStdout: (chunk, kill) => {
        // Once: a second signal would (rightly) stop the cancel itself.
        if (!sent && chunk.includes('"node_started"') && chunk.includes('"slow"')) {
          sent = true;
          setTimeout(() => kill('SIGTERM'), 300);
        }
      },
    });
    expect(res.code).toBe(143);
    expect(res.stderr).toBe('weir: the run was cancelled\n');
    expect(res.stdout).toContain('"status":"cancelled"');
    expect(res.afterSignal).toBeLessThan(30_000);
    const records = readdirSync(join(dir, '.weir', 'runs')).filter((f) => f.endsWith('.json'));
    expect(records).toHaveLength(1);
    expect((JSON.parse(readFileSync(join(dir, '.weir', 'runs', records[0]!), 'utf8')) as { status: string }).status).toBe('cancelled');
  });
});
