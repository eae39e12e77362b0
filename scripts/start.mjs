// `npm start`: the desktop app. Where Electron's binary is missing (it is fetched lazily, and
// some networks block the download), say so in one line and serve the same designer in the
// browser shell instead. Arguments after `--` go to the app (e.g. `npm start -- --workspace DIR`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeKindIndex } from './gen-kind-index.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

/** The Electron executable, without triggering its download (requiring 'electron' would). */
function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const rel = readFileSync(pathFile, 'utf8').trim();
  const exe = process.env.ELECTRON_OVERRIDE_DIST_PATH ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel) : join(dir, 'dist', rel);
  return existsSync(exe) ? exe : null;
}

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((max, e) => (e === 'node_modules' ? max : Math.max(max, newest(join(path, e)))), st.mtimeMs);
}

/** Builds main, preload and renderer when out/ is missing or older than its sources. */
function buildIfStale() {
  const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) => join(root, p));
  const oldest = built.every(existsSync) ? Math.min(...built.map((p) => statSync(p).mtimeMs)) : 0;
  const sources = ['src-main', 'src-renderer', 'shared', 'electron.vite.config.ts'].map((p) => join(root, p)).filter(existsSync);
  if (oldest && sources.every((s) => newest(s) <= oldest)) return;
  process.stdout.write('Building the designer (electron-vite build)…\n');
  const r = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** How often the parents are looked for; the app stops within about this long after one died. */
const PARENT_POLL_MS = 500;
/** How long the app gets to stop by itself before it is killed. */
const GRACE_MS = 5000;

/** A process's parent on Linux (`/proc/PID/stat`), or null when it is gone or there is no /proc. */
function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, the last ")" ends it.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

const commOf = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

/**
 * The links between a process and its parent that, once broken, mean `npm start` is over:
 * this script's own parent, and when it was run through a shell (npm runs scripts with
 * `sh -c`; package.json's `exec` replaces that shell with node, but a start by hand or an
 * older script line may still leave one), that shell's parent, npm.
 * Nothing above npm is watched: `nohup npm start &` outlives its terminal as it should.
 */
function watchedLinks() {
  const links = [{ pid: process.pid, parent: process.ppid, now: () => process.ppid }];
  const shell = process.ppid;
  if (process.env.npm_lifecycle_event && /^(sh|dash|bash|zsh|ash|ksh)$/.test(commOf(shell))) {
    const npm = parentOf(shell);
    if (npm !== null) links.push({ pid: shell, parent: npm, now: () => parentOf(shell) });
  }
  return links;
}

/**
 * Runs the app as a child that never outlives `npm start`. npm forwards SIGINT and SIGTERM
 * to the process it ran (this one: the script line `exec`s node in place of npm's `sh -c`;
 * a shell left in between would hold a SIGINT until its child exits), and forwards nothing
 * on SIGHUP or when npm itself is killed: the server kept running with its port (issue #15
 * item 16). Here every stop signal is passed on, and the parents are watched (process ids
 * read anew each time: an orphan is handed to init or a subreaper).
 */
function run(cmd, cmdArgs, env = {}) {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  let stopping = false;
  const stop = (sig) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(sig);
    if (stopping) return;
    stopping = true;
    setTimeout(() => child.kill('SIGKILL'), GRACE_MS).unref();
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(sig));
  const links = watchedLinks();
  const watch = setInterval(() => {
    if (links.some((l) => l.now() !== l.parent)) stop('SIGTERM');
  }, PARENT_POLL_MS);
  child.on('exit', (code, signal) => {
    clearInterval(watch);
    process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 0));
  });
}

// A kind folder added or removed since the indexes were written shows in this start.
writeKindIndex(root);
const electron = electronBinary();
// The browser shell shown a page of its own (WEIR_RENDERER_DIR) needs nothing from out/.
if (electron || !process.env.WEIR_RENDERER_DIR) buildIfStale();
if (electron) {
  const ws = args.indexOf('--workspace');
  run(electron, ['.'], ws >= 0 && args[ws + 1] ? { WEIR_WORKSPACE: args[ws + 1] } : {});
} else {
  process.stdout.write("Electron's binary is not installed here (run `npx install-electron` where downloads work); starting the browser shell instead.\n");
  // From source when tsx is there (a checkout), else the committed CLI bundle.
  const fromSource = existsSync(join(root, 'node_modules', 'tsx')) && existsSync(join(root, 'src-main', 'cli', 'index.ts'));
  const cli = fromSource ? ['--import', 'tsx', join(root, 'src-main/cli/index.ts')] : [join(root, 'bin/weir.cjs')];
  run(process.execPath, ['--require', join(root, 'scripts/exit-with-parent.cjs'), ...cli, 'serve', ...args]);
}
