// The `weir` command's first file (bin/weir.cjs, a few KB): it runs the CLI's bundle
// (bin/weir-main.cjs, 2 MB) from a V8 code cache when it can. Compiling the bundle, then each
// function it calls, was about a third of a `weir run` of a small pipeline above Node's own
// start (bench figure 6); Node 20 has no compile cache of its own (module.enableCompileCache
// is Node 22). The cache is only a speed-up: without a private folder for it, or with a file
// that fails its checks, the bundle is compiled as Node would. More in docs/benchmarks.md
// (figure 6) and README "Configuration".
// First: libuv's thread pool is sized before anything can use it (support/thread-pool.ts).
import './support/thread-pool';
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';

const MAIN = join(__dirname, 'weir-main.cjs');
/** A cache of another bundle (another Weir, or Node) that nobody wrote for this long is removed. */
const STALE_MS = 30 * 24 * 3600 * 1000;
const HASH_BYTES = 20;

interface Cache {
  dir: string;
  file: string;
  key: string;
  data: Buffer | undefined;
}

/**
 * The per-user folder: `$XDG_CACHE_HOME/weir/code-cache` (else `~/.cache/...`), made private
 * (0700). Null when it is turned off (WEIR_CODE_CACHE=off), on a platform without user ids,
 * or when it or its parent is not a private folder of this user (another user could write
 * code there that this process would run).
 */
function cacheDir(env: NodeJS.ProcessEnv): string | null {
  if (env.WEIR_CODE_CACHE === 'off' || env.WEIR_CODE_CACHE === '0' || typeof process.getuid !== 'function') return null;
  const base = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  const weir = join(base, 'weir');
  const dir = join(weir, 'code-cache');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return privateToUs(lstatSync(weir)) && privateToUs(lstatSync(dir)) ? dir : null;
}

/** Owned by this user, writable by nobody else; a symbolic link (lstat) is not. */
function privateToUs(st: Stats): boolean {
  return st.uid === process.getuid!() && (st.mode & 0o022) === 0 && (st.isDirectory() || st.isFile());
}

/**
 * The cache for this bundle: its file is named by a hash of the bundle's bytes (a cache is
 * never used for other code), of Node's version and flags, and by the command (each command's
 * cache holds the functions it ran). The file is the hash of the V8 data, then the data: a
 * damaged file is not handed to V8 (which checks versions and flags, not the data itself).
 * SHA-1, three to four times as fast as SHA-256 on 2 MB here: these hashes tell builds apart
 * and catch damage; they guard against no one, since only this user can write the folder.
 */
function openCache(bundle: Buffer, command: string): Cache | null {
  const dir = cacheDir(process.env);
  if (!dir) return null;
  const key = createHash('sha1').update(bundle).update(`\0${process.version}\0${process.arch}\0${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}`).digest('hex').slice(0, 40);
  const file = join(dir, `${key}-${command}.bin`);
  let data: Buffer | undefined;
  let fd = -1;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    const st = fstatSync(fd);
    if (privateToUs(st) && st.isFile() && st.size > HASH_BYTES) {
      const all = Buffer.allocUnsafe(st.size);
      if (readSync(fd, all, 0, st.size, 0) === st.size) {
        const body = all.subarray(HASH_BYTES);
        if (createHash('sha1').update(body).digest().equals(all.subarray(0, HASH_BYTES))) data = body;
      }
    }
  } catch {
    // No cache yet (or unreadable): the run writes one.
  } finally {
    if (fd >= 0) closeSync(fd);
  }
  return { dir, file, key, data };
}

/** Writes the cache through a private temporary file renamed into place (a reader never sees half a file); never throws. */
function writeCache(cache: Cache, script: Script): void {
  try {
    const body = script.createCachedData();
    const tmp = join(cache.dir, `.${cache.key}-${process.pid}.tmp`);
    writeFileSync(tmp, Buffer.concat([createHash('sha1').update(body).digest(), body]), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, cache.file);
    const now = Date.now();
    for (const name of readdirSync(cache.dir)) {
      if (name.startsWith(cache.key)) continue;
      const path = join(cache.dir, name);
      if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
    }
  } catch {
    // A full disk or a read-only home: the next start compiles again.
  }
}

type Main = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

function launch(): void {
  let bundle: Buffer;
  try {
    bundle = readFileSync(MAIN);
  } catch (e) {
    // bin/weir.cjs copied without the bundle (an image or a package that predates the split).
    process.stderr.write(`weir: cannot read ${MAIN} (${(e as NodeJS.ErrnoException).code ?? 'error'}): bin/weir.cjs runs the bundle beside it; install or copy both\n`);
    process.exitCode = 1;
    return;
  }
  const command = /^[a-z][a-z-]{0,19}$/.test(process.argv[2] ?? '') ? process.argv[2]! : '_';
  let cache: Cache | null = null;
  try {
    cache = openCache(bundle, command);
  } catch {
    // No private cache folder to be had (a read-only home, say): the bundle is compiled as usual.
  }
  // The build writes it in ASCII (scripts/build-cli.mjs): read as Latin-1, a one-byte string.
  const text = isAscii(bundle) ? bundle.toString('latin1') : bundle.toString('utf8');
  // The CommonJS wrapper on the bundle's first line, so that stack traces keep its line numbers.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${text}\n})`, {
    filename: MAIN,
    ...(cache?.data ? { cachedData: cache.data } : {}),
  });
  if (cache && (!cache.data || script.cachedDataRejected)) {
    const c = cache;
    // At exit, so that the functions this command compiled are in the cache too.
    process.once('exit', () => writeCache(c, script));
  }
  const module = { exports: {} };
  (script.runInThisContext() as Main)(module.exports, createRequire(MAIN), module, MAIN, __dirname);
}

launch();
