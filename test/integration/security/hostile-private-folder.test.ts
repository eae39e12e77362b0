import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runWeir } from '../../support/cli';
import { treeHashes } from '../../support/find-files';
import { tempDir } from '../../support/temp-dir';

/**
 * A workspace whose `.weir` (or a folder or file in it) is a symbolic link out of the workspace:
 * before the fix a run wrote its records, reports, audit log and caches wherever the link
 * pointed (a copied workspace could aim them at a web server's folder or another user's files),
 * and `weir gc` worked there too. Each such path is now refused with one line naming it, and the
 * place the link points to is left exactly as it was.
 */

const TEMPLATE = fileURLToPath(new URL('../../../templates/cgt-batch-release', import.meta.url));

/** The committed CLI in `cwd`, killed if it has not ended after the bound; `signal` null when it ended by itself. */
async function weir(args: string[], cwd: string) {
  const r = await runWeir(args, { cwd, timeoutMs: 60_000 });
  return { ...r, signal: r.signal ?? null };
}

let base = '';

beforeAll(async () => {
  base = join(tempDir('weir-private-'), 'base');
  cpSync(TEMPLATE, base, { recursive: true });
  const first = await weir(['run', 'pipelines/batch_release.weir.json'], base);
  expect(first.code, first.stderr).toBe(0);
}, 120_000);

/** A copy of the base workspace and a folder outside it (holding one file of its own). */
function fresh(): { ws: string; outside: string } {
  const dir = tempDir('weir-private-case-');
  const ws = join(dir, 'ws');
  const outside = join(dir, 'outside');
  cpSync(base, ws, { recursive: true, verbatimSymlinks: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'own.txt'), 'not Weir’s\n');
  return { ws, outside };
}

function expectOneLineNaming(r: Awaited<ReturnType<typeof weir>>, name: string): void {
  expect(r.signal).toBeNull();
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^weir: /);
  expect(lines[0]).toContain(name);
  expect(lines[0]).toContain("leads out of the workspace's .weir folder");
}

describe("Weir's own folder leading out of the workspace through a symbolic link", () => {
  it('.weir itself a link: run and gc refuse, nothing is written where it points', { timeout: 120_000 }, async () => {
    const { ws, outside } = fresh();
    rmSync(join(ws, '.weir'), { recursive: true });
    symlinkSync(outside, join(ws, '.weir'));
    const before = treeHashes(outside);
    expectOneLineNaming(await weir(['run', 'pipelines/batch_release.weir.json'], ws), '.weir/');
    expectOneLineNaming(await weir(['gc'], ws), '.weir/');
    expectOneLineNaming(await weir(['audit', 'verify'], ws), '.weir/audit');
    expect(treeHashes(outside)).toEqual(before);
    expect(readdirSync(outside)).toEqual(['own.txt']);
  });

  it('a folder in .weir a link (reports): the run refuses before writing there', { timeout: 60_000 }, async () => {
    const { ws, outside } = fresh();
    rmSync(join(ws, '.weir', 'reports'), { recursive: true });
    symlinkSync(outside, join(ws, '.weir', 'reports'));
    const before = treeHashes(outside);
    const r = await weir(['run', 'pipelines/batch_release.weir.json'], ws);
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).not.toBe(0);
    expect(r.stderr).toContain('.weir/reports');
    expect(r.stderr).toContain("leads out of the workspace's .weir folder");
    expect(treeHashes(outside)).toEqual(before);
  });

  it('the audit log a link to a file outside: nothing is appended to that file', { timeout: 60_000 }, async () => {
    const { ws, outside } = fresh();
    const log = join(ws, '.weir', 'audit', 'log.jsonl');
    cpSync(log, join(outside, 'log.jsonl'));
    rmSync(log);
    symlinkSync(join(outside, 'log.jsonl'), log);
    const before = readFileSync(join(outside, 'log.jsonl'), 'utf8');
    expectOneLineNaming(await weir(['run', 'pipelines/batch_release.weir.json'], ws), '.weir/audit/log.jsonl');
    expect(readFileSync(join(outside, 'log.jsonl'), 'utf8')).toBe(before);
    expect(existsSync(join(outside, 'head.json'))).toBe(false);
  });
});
