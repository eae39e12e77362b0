// `npm start`: the desktop app. Where Electron's binary is missing (it is fetched lazily, and
// some networks block the download), say so in one line and serve the same designer in the
// browser shell instead. Arguments after `--` go to the app (e.g. `npm start -- --workspace DIR`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

function run(cmd, cmdArgs, env = {}) {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

buildIfStale();
const electron = electronBinary();
if (electron) {
  const ws = args.indexOf('--workspace');
  run(electron, ['.'], ws >= 0 && args[ws + 1] ? { WEIR_WORKSPACE: args[ws + 1] } : {});
} else {
  process.stdout.write("Electron's binary is not installed here (run `npx install-electron` where downloads work); starting the browser shell instead.\n");
  // From source when tsx is there (a checkout), else the committed CLI bundle.
  const fromSource = existsSync(join(root, 'node_modules', 'tsx')) && existsSync(join(root, 'src-main', 'cli', 'index.ts'));
  const cli = fromSource ? ['--import', 'tsx', join(root, 'src-main/cli/index.ts')] : [join(root, 'bin/weir.cjs')];
  run(process.execPath, [...cli, 'serve', ...args]);
}
