import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp-dir';

/**
 * `npm start` stopped by the npm process's id (issue #15 item 16): npm → start.mjs (the script
 * line `exec`s node in place of npm's `sh -c`) → the browser shell (Electron's binary is
 * missing here). Whatever stops npm (SIGINT, SIGTERM, SIGHUP, or SIGKILL, which nobody can
 * pass on), sent to npm's id alone or, as a terminal's Ctrl-C sends it, to the process group,
 * nothing it started may keep running, and the port is free again. SIGINT to npm alone is the
 * case a shell in between broke: npm passed it to its `sh -c`, and dash (Debian's sh) holds a
 * SIGINT until its child exits (docs/designer.md, "Starting it").
 */

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const LINK = /http:\/\/127\.0\.0\.1:(\d+)\/#launch=/;

/** Every process below `pid` now, from /proc (children first found, then theirs). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      parentOf.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [child, parent] of parentOf) {
      if (parent === p && !out.includes(child)) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/** Alive and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

let started: { npm: ChildProcess; tree: number[] } | null = null;

afterEach(() => {
  // A failed test leaves nothing running either.
  for (const pid of started?.tree ?? []) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  started = null;
});

/** Starts `npm start` as a user would, on a temp workspace, and waits for the server's link. */
async function npmStart(): Promise<{ npm: ChildProcess; port: number; tree: number[] }> {
  const base = tempDir('weir-npm-start-');
  const workspace = join(base, 'lab');
  mkdirSync(join(workspace, 'pipelines'), { recursive: true });
  writeFileSync(join(workspace, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections: {} } } }));
  // A page of its own: the browser shell then needs no build of out/ (start.mjs skips it).
  const page = join(base, 'page');
  mkdirSync(page);
  writeFileSync(join(page, 'index.html'), '<!doctype html><title>Weir</title>');
  const npm = spawn('npm', ['start', '--', '--no-open', '--port', '0', '--workspace', workspace], {
    cwd: repo,
    // A process group of its own, as a terminal gives a command: Ctrl-C signals the group.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WEIR_HOME: join(base, 'home'), WEIR_RENDERER_DIR: page, ELECTRON_OVERRIDE_DIST_PATH: join(base, 'no-electron') },
  });
  started = { npm, tree: [npm.pid!] };
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no link from npm start within 45 s:\n${out}`)), 45_000);
    npm.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = LINK.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    npm.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
    npm.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${out}`)));
  });
  const tree = descendants(npm.pid!);
  started.tree.push(...tree);
  return { npm, port, tree };
}

describe('npm start exits with its parent', () => {
  it.each([
    ['SIGTERM', 'npm'],
    ['SIGHUP', 'npm'],
    ['SIGKILL', 'npm'],
    ['SIGINT', 'npm'],
    ['SIGINT', 'group'],
  ] as const)('npm stopped with %s (sent to %s) leaves no server behind and frees the port', async (signal, to) => {
    const { npm, port, tree } = await npmStart();
    // start.mjs and the server below npm, with no shell between npm and start.mjs.
    expect(tree.length).toBeGreaterThanOrEqual(2);
    const comm = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    expect(tree.filter((pid) => /^(sh|dash|bash)$/.test(comm(pid)))).toEqual([]);
    expect(await portFree(port)).toBe(false);
    expect(existsSync(`/proc/${npm.pid}`)).toBe(true);

    if (to === 'npm') npm.kill(signal);
    else process.kill(-npm.pid!, signal);
    await expect.poll(() => tree.filter(alive), { timeout: 15_000, interval: 200 }).toEqual([]);
    expect(await portFree(port)).toBe(true);
  }, 90_000);
});
