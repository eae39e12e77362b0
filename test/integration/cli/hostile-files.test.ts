import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEIR_BIN, runWeir, type CliResult } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

/**
 * Files a colleague's branch (or anyone) can put in front of `weir`: every one ends in one
 * clear line on stderr and a known exit code, never a stack trace, a hang, raw bytes on the
 * terminal or a crash, and well within 30 s.
 */

const ws = tempDir('weir-hostile-');
writeFileSync(
  join(ws, 'weir.workspace.json'),
  JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: { lake: { kind: 'folder', path: 'lake' } } }, test: { connections: {} } } }),
);
const seed = (id: string, name: string) => ({ id, name, kind: 'seed', inputs: [] as string[], config: { columns: [{ name: 'a', type: 'INTEGER' }], rows: [[1]] } });
const doc = (nodes: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes, layout: {}, ...extra });
function file(name: string, content: string | Buffer): string {
  const p = join(ws, name);
  writeFileSync(p, content);
  return p;
}

const many = (n: number) => Array.from({ length: n }, (_, i) => seed(`n${i}`, `n${i}`));
const bigIndependent = file('independent-100k.weir.json', doc(many(100_000)));
const bigCycle = file(
  'cycle-100k.weir.json',
  doc(Array.from({ length: 100_000 }, (_, i) => ({ id: `n${i}`, name: `n${i}`, kind: 'sql', inputs: [`n${(i + 99_999) % 100_000}`], config: { sql: [`select 1`] } }))),
);
const ESC = '\u001b]0;pwned\u0007\u001b[2J\u001b[31m\u202e';

/** One line on stderr, starting "weir: ", with no control byte and no stack trace. */
function oneCleanLine(res: CliResult): string {
  const lines = res.stderr.split('\n').filter(Boolean);
  expect(lines, res.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^weir: /);
  expect(res.stderr).not.toMatch(/\n\s+at |[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
  return lines[0] as string;
}

async function timed(args: string[]): Promise<CliResult & { ms: number }> {
  const started = Date.now();
  const res = await runWeir(args, { cwd: ws });
  return { ...res, ms: Date.now() - started };
}

// The CPU time a command used, written by a preload when it exits: on a 2-core machine shared
// with other test runs the wall clock says more about the neighbours than about Weir.
const cpuPreload = file('cpu-preload.cjs', `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeFileSync(process.env.WEIR_TEST_CPU_FILE, String((u.user + u.system) / 1000)); });`);

async function withCpu(args: string[]): Promise<CliResult & { ms: number; cpuMs: number }> {
  const cpuFile = join(ws, `cpu-${Date.now()}-${Math.random()}.txt`);
  const started = Date.now();
  const res = await new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', cpuPreload, WEIR_BIN, ...args], { cwd: ws, env: { ...process.env, WEIR_TEST_CPU_FILE: cpuFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { ...res, ms: Date.now() - started, cpuMs: Number(readFileSync(cpuFile, 'utf8')) };
}

describe('hostile structure: linear and bounded at any size', () => {
  it('validate and plan 100,000 independent nodes within the bound', async () => {
    const v = await withCpu(['validate', bigIndependent]);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('valid pipeline "p", 100000 nodes');
    // A few seconds of CPU each (the quadratic versions took minutes); the wall clock only
    // has to show nothing hangs, whatever else shares the machine.
    expect(v.cpuMs).toBeLessThan(20_000);
    expect(v.ms).toBeLessThan(60_000);
    const p = await withCpu(['plan', bigIndependent]);
    expect(p.code).toBe(0);
    expect(p.stdout.startsWith('pipeline p: 100000 steps\n')).toBe(true);
    expect(p.stdout).toContain('\n100000. n99999 [seed → table]\n');
    expect(p.cpuMs).toBeLessThan(20_000);
    expect(p.ms).toBeLessThan(60_000);
  });

  it('a 100,000-node cycle is one short line naming a few of its nodes', async () => {
    const res = await withCpu(['validate', bigCycle]);
    expect(res.code).toBe(2);
    const line = oneCleanLine(res);
    expect(line).toMatch(/^weir: .*cycle-100k\.weir\.json: the graph has a cycle: (n\d+ → ){6}… → n\d+ \(100000 nodes in the cycle\)$/);
    expect(res.cpuMs).toBeLessThan(20_000);
    expect(res.ms).toBeLessThan(60_000);
  });
});

describe('hostile files: refused with one line, exit code 2', () => {
  const cases: { name: string; path: () => string; message: RegExp }[] = [
    {
      name: 'a FIFO (it would block a plain read forever)',
      path: () => {
        const p = join(ws, 'fifo.weir.json');
        execFileSync('mkfifo', [p]);
        return p;
      },
      message: /fifo\.weir\.json: is a named pipe \(FIFO\), expected a pipeline file$/,
    },
    {
      name: 'a symlink to /dev/zero (endless)',
      path: () => {
        const p = join(ws, 'zero.weir.json');
        symlinkSync('/dev/zero', p);
        return p;
      },
      message: /zero\.weir\.json: is a device, expected a pipeline file$/,
    },
    {
      name: 'a folder',
      path: () => {
        const p = join(ws, 'folder.weir.json');
        mkdirSync(p);
        return p;
      },
      message: /folder\.weir\.json: is a folder, expected a pipeline file$/,
    },
    {
      name: 'a binary file',
      path: () => file('binary.weir.json', Buffer.from([0x7b, 0x1b, 0x5b, 0x32, 0x4a, 0xc3, 0x28, 0x00, 0xff, 0x9b])),
      message: /binary\.weir\.json: not UTF-8 text \(a binary file\?\): byte \\xc3 at line 1, byte offset 5$/,
    },
    {
      name: 'raw ESC sequences in the JSON text',
      path: () => file('raw-esc.weir.json', `{"format": "weir.pipeline", "name": "${ESC}"}`),
      message: /raw-esc\.weir\.json: malformed JSON at line 1, column 38: a control character inside a string/,
    },
    {
      name: 'escaped ESC sequences in a node kind (echoed in the message)',
      path: () => file('esc-kind.weir.json', doc([{ ...seed('s', 'src'), kind: `x${ESC}` }])),
      message: /unknown node kind "x\\x1b\]0;pwned\\x07\\x1b\[2J\\x1b\[31m\\u\{202e\}"/,
    },
    {
      name: 'a file that is not JSON at all (never quoted back)',
      path: () => file('env-dump.weir.json', 'PATH=/usr/bin\nAWS_SECRET_ACCESS_KEY=do-not-echo-me\n'),
      message: /env-dump\.weir\.json: malformed JSON at line 1, column 1: unexpected character "P"$/,
    },
    {
      name: 'nesting a million levels deep',
      path: () => file('deep.weir.json', `{"format": "weir.pipeline", "version": 1, "x": ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`),
      message: /deep\.weir\.json: nested more than 64 levels deep at line 1, column \d+$/,
    },
  ];

  const other = file('other.weir.json', doc([seed('s', 'src')]));
  const argsFor = (command: string, path: string) => (command === 'run' ? [command, path, '--no-record'] : command === 'diff' ? [command, path, other] : [command, path]);

  it.each(cases)('$name', async (c) => {
    const path = c.path();
    for (const command of ['validate', 'plan', 'run', 'diff']) {
      const res = await timed(argsFor(command, path));
      expect(res.code, `${command}: ${res.stderr}`).toBe(2);
      expect(oneCleanLine(res)).toMatch(c.message);
      expect(res.stdout).toBe('');
      expect(res.ms).toBeLessThan(30_000);
    }
  });

  it('the file does not leak into the message: no byte of an env dump is echoed', async () => {
    const res = await timed(['validate', file('env-dump-2.weir.json', 'PATH=/usr/bin\nAWS_SECRET_ACCESS_KEY=do-not-echo-me\n')]);
    expect(res.code).toBe(2);
    expect(res.stderr).not.toContain('do-not-echo-me');
  });
});

describe('hostile values reach the terminal escaped', () => {
  it('ESC sequences in SQL and parameter defaults are escaped in plan output, raw in none', async () => {
    const nodes = [seed('s', 'src'), { id: 't', name: 't', kind: 'sql', inputs: ['s'], config: { sql: [`select '${ESC}' as x from src`] } }];
    const p = file('esc-sql.weir.json', doc(nodes, { params: { note: { type: 'string', default: `x${ESC}` } } }));
    const plan = await timed(['plan', p]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`select '\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31m\\u{202e}' as x from src`);
    expect(plan.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
    const json = await timed(['plan', p, '--json']);
    expect(json.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
    expect((JSON.parse(json.stdout) as { steps: { statements: string[] }[] }).steps[1]!.statements[0]).toContain(ESC);
  });

  it('a UTF-8 byte order mark is accepted: validate, plan and run', async () => {
    const p = file('bom.weir.json', '\ufeff' + doc([seed('s', 'src')]));
    expect((await timed(['validate', p])).code).toBe(0);
    expect((await timed(['plan', p])).code).toBe(0);
    const run = await timed(['run', p, '--no-record']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('the command line', () => {
  it('EPIPE: `weir plan | head` ends quietly with exit code 0', async () => {
    const p = file('epipe.weir.json', doc(many(5000)));
    const res = await new Promise<{ code: number | null; stderr: string; first: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [WEIR_BIN, 'plan', p], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let first = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      // The reader takes the first chunk and goes away, as `head -1` does.
      child.stdout.setEncoding('utf8').once('data', (c: string) => {
        first = c;
        child.stdout.destroy();
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr, first }));
    });
    expect(res.first).toMatch(/^pipeline p: 5000 steps/);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
  });

  it('every command answers --help and -h with its usage on stdout, exit code 0', async () => {
    for (const command of ['run', 'validate', 'plan', 'audit', 'serve', 'mcp', 'diff', 'history', 'merge-driver']) {
      for (const flag of ['--help', '-h']) {
        const res = await runWeir([command, flag]);
        expect(res.code, `${command} ${flag}: ${res.stderr}`).toBe(0);
        expect(res.stderr).toBe('');
        expect(res.stdout).toMatch(new RegExp(`^weir ${command}: .*\\n\\nusage: weir ${command}`));
      }
    }
    // Even after other options, and as `weir help COMMAND`.
    expect((await runWeir(['run', 'x.weir.json', '--bogus', '--help'])).code).toBe(0);
    expect((await runWeir(['audit', 'verify', '--help'])).stdout).toContain('usage: weir audit verify');
    const help = await runWeir(['help', 'validate']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('-e, --env NAME');
    // After `--` it is an argument like any other.
    expect((await runWeir(['validate', '--', '--help'])).code).toBe(2);
  });
});

describe('validate = run\'s own checks: both refuse with exit code 2 and one line', () => {
  const both = async (args: string[], message: RegExp) => {
    for (const command of ['validate', 'run']) {
      const res = await timed([command, ...args, ...(command === 'run' ? ['--no-record'] : [])]);
      expect(res.code, `${command}: ${res.stderr}`).toBe(2);
      expect(oneCleanLine(res)).toMatch(message);
    }
  };

  it('a parameter default of the wrong type', async () => {
    const p = file('bad-default.weir.json', doc([seed('s', 'src')], { params: { n: { type: 'integer', default: 'ten' } } }));
    await both([p], /bad-default\.weir\.json: parameter n: the default "ten" does not fit its type integer/);
  });

  it('a date that does not exist and an integer overflow on the command line', async () => {
    const p = file('params.weir.json', doc([seed('s', 'src')], { params: { d: { type: 'date', default: '2024-01-01' }, n: { type: 'integer', default: 1 } } }));
    await both([p, '--param', 'd=2024-02-30'], /^weir: parameter d: expected a date as YYYY-MM-DD, got "2024-02-30"$/);
    await both([p, '--param', 'n=99999999999999999999'], /^weir: parameter n: expected an integer from -9007199254740991 to 9007199254740991, got "99999999999999999999"$/);
    await both([p, '--param', 'zz=1'], /^weir: unknown parameter "zz" \(parameters: d, n\)$/);
  });

  it('an --env the workspace does not define', async () => {
    const p = file('env.weir.json', doc([seed('s', 'src')]));
    await both([p, '--env', 'prod'], /^weir: no environment "prod" in .*weir\.workspace\.json \(environments: dev, test\)$/);
  });

  it('a relationship rule whose target is not an input of the check', async () => {
    const check = { id: 'c', name: 'checked', kind: 'check', inputs: ['s'], config: { rules: [{ type: 'relationship', column: 'a', to: 'other', field: 'a' }] } };
    const p = file('relationship.weir.json', doc([seed('s', 'src'), seed('o', 'other'), check]));
    await both([p], /relationship\.weir\.json: check "checked", Rules #1 › To: rule "relationship_a_to_other": "other" must also be an input/);
  });

  it('a connection the environment does not define', async () => {
    const lake = { id: 'l', name: 'raw', kind: 'lake_source', inputs: [], config: { connection: 'warehouse', prefix: 'raw/', glob: '*.csv', format: 'csv' } };
    const p = file('connection.weir.json', doc([lake]));
    await both([p], /connection\.weir\.json: lake_source "raw", Connection: node "raw" uses connection "warehouse", which environment "dev" does not define \(connections: lake\)/);
  });

  it('validate --json lists every problem on stdout', async () => {
    const p = file('two-problems.weir.json', doc([seed('s', 'src')], { params: { n: { type: 'integer', default: 'x' }, d: { type: 'date', default: '2024-02-30' } } }));
    const res = await timed(['validate', p, '--json']);
    expect(res.code).toBe(2);
    const out = JSON.parse(res.stdout) as { valid: boolean; problems: { path: string }[] };
    expect(out.valid).toBe(false);
    expect(out.problems.map((x) => x.path)).toEqual(['params.n.default', 'params.d.default']);
    expect(oneCleanLine(res)).toContain('(and 1 more problem)');
  });
});
