import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runWeir } from '../../support/cli';

/**
 * README.md and docs/*.md against what the CLI says of itself: every option the docs give a
 * command is in that command's `--help`, and every option `--help` lists is in the README's
 * command table (a new user reads the table, then the help). A drift either way fails here.
 */
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const docs = ['README.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (f: string) => readFileSync(join(REPO, f), 'utf8');

/** `--long-option` names in a text, without the value after `=`. */
const optionsIn = (text: string) => new Set([...text.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => `--${m[1]}`));
/**
 * The options a command's --help offers: its usage lines and its option list (the prose
 * around them may name another command's options, e.g. `weir run FILE --partition KEY`).
 */
const helpOptions = (text: string) => optionsIn(text.split('\n').filter((l) => /^(usage: |\s+weir |\s+(-[a-zA-Z], )?--[a-z])/.test(l)).join('\n'));
/** What every command takes without listing it: asked for help, or a stack trace. */
const GLOBAL = new Set(['--help', '--debug']);

/** The README table's rows for a command: [the usage cell, the whole row]. */
function readmeRows(command: string): { usage: string; row: string }[] {
  return read('README.md')
    .split('\n')
    .filter((l) => l.startsWith('| `weir '))
    .map((row) => ({ row, usage: row.split(/(?<!\\)\|/)[1] ?? '' }))
    .filter(({ usage }) => new RegExp(`^\\s*\`weir ${command}\\b(?!-)`).test(usage));
}

/** Command lines in the docs' code blocks (`weir X ...` or `npx weir X ...`), with the file they are in. */
function docCommandLines(): { file: string; command: string; line: string }[] {
  const out: { file: string; command: string; line: string }[] = [];
  for (const file of docs) {
    let inCode = false;
    for (const raw of read(file).split('\n')) {
      if (raw.trimStart().startsWith('```')) {
        inCode = !inCode;
        continue;
      }
      if (!inCode) {
        // `weir X --opt` in prose; spans naming no command (`weir --version`, a PostgreSQL
        // application_name such as `weir publish <table>`) are not commands.
        for (const m of raw.matchAll(/`(?:npx )?weir ([a-z][a-z-]*)\b([^`]*)`/g)) {
          if (commands.includes(m[1]!)) out.push({ file, command: m[1]!, line: m[0] });
        }
        continue;
      }
      // The command itself, not a comment after it.
      const line = raw.replace(/\s#\s.*$/, '');
      const m = /^\s*(?:\$ )?(?:npx )?weir ([a-z][a-z-]*)\b/.exec(line);
      if (m) out.push({ file, command: m[1]!, line: line.trim() });
    }
  }
  return out;
}

let commands: string[] = [];
const help = new Map<string, string>();

beforeAll(async () => {
  const top = await runWeir(['--help']);
  expect(top.code).toBe(0);
  commands = [...top.stdout.matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map((m) => m[1]!);
  expect(commands).toContain('run');
  await Promise.all(
    commands.map(async (c) => {
      const r = await runWeir([c, '--help']);
      expect(r.code, `weir ${c} --help`).toBe(0);
      help.set(c, r.stdout);
    }),
  );
}, 120_000);

describe('the docs and the CLI agree', () => {
  it('has a README table row for every command `weir --help` lists', () => {
    expect(commands.filter((c) => readmeRows(c).length === 0)).toEqual([]);
  });

  it("puts in the README table every option a command's --help lists", () => {
    const missing = commands.flatMap((c) => {
      const documented = optionsIn(readmeRows(c).map((r) => r.row).join('\n'));
      return [...helpOptions(help.get(c)!)].filter((o) => !GLOBAL.has(o) && !documented.has(o)).map((o) => `weir ${c} ${o}`);
    });
    expect(missing).toEqual([]);
  });

  it("gives a command, in the README table, only options its --help lists", () => {
    const unknown = commands.flatMap((c) => {
      const known = optionsIn(help.get(c)!);
      return readmeRows(c).flatMap(({ usage }) => [...optionsIn(usage)].filter((o) => !GLOBAL.has(o) && !known.has(o)).map((o) => `weir ${c} ${o}`));
    });
    expect(unknown).toEqual([]);
  });

  it("uses, in the docs' examples, only commands and options the CLI has", () => {
    const lines = docCommandLines();
    expect(lines.length).toBeGreaterThan(20);
    const wrong = lines.flatMap(({ file, command, line }) => {
      const text = help.get(command);
      if (!text) return [`${file}: unknown command in "${line}"`];
      const known = optionsIn(text);
      return [...optionsIn(line)].filter((o) => !GLOBAL.has(o) && !known.has(o)).map((o) => `${file}: ${o} in "${line}"`);
    });
    expect(wrong).toEqual([]);
  });

  it('catches what it looks for', () => {
    expect([...optionsIn('weir run FILE [--param K=V] --no-cache, `--select` x--y')]).toEqual(['--param', '--no-cache', '--select']);
    expect([...helpOptions('usage: weir x [--a]\n       weir x y [--b]\n\nRun --c after.\n  -d, --dee N   what\n      --eee     more, see --f')]).toEqual(['--a', '--b', '--dee', '--eee', '--f']);
    expect(readmeRows('release').length).toBeGreaterThan(0);
    expect(readmeRows('audit').every((r) => r.usage.includes('weir audit'))).toBe(true);
    // `weir signer` is not `weir sign`, nor `weir merge-driver` a `weir merge`.
    expect(readmeRows('sign').some((r) => r.usage.includes('weir signer'))).toBe(false);
  });
});
