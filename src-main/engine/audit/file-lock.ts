import { pidAlive } from '../host/identity';
import { open, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { WeirError } from '../../../shared/errors';
import { readRegularText } from '../host/regular-file';

const STALE_MS = 120_000;
/** How long an append waits for another run's lock, unless the engine's settings say (WEIR_AUDIT_LOCK_WAIT_MS: tests, impatient operators). */
export const DEFAULT_LOCK_WAIT_MS = 60_000;

/** A lock left by a process that died (same host), or one far older than any append takes. */
async function isStale(path: string): Promise<boolean> {
  try {
    const [text, st] = await Promise.all([readRegularText(path), stat(path)]);
    const [pid, host] = text.split('\n');
    if (host === hostname() && pid && !pidAlive(Number(pid))) return true;
    return Date.now() - st.mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inProcess = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` holding an exclusive lock file, so that two runs (two cron jobs, the desktop and
 * the CLI) never append to the audit log at once and fork its chain. Within one process the
 * callers also queue on a promise, so they do not spin on the file.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, waitMs = DEFAULT_LOCK_WAIT_MS): Promise<T> {
  const before = inProcess.get(path) ?? Promise.resolve();
  const mine = before.catch(() => {}).then(() => lockedCall(path, fn, waitMs));
  inProcess.set(path, mine);
  try {
    return await mine;
  } finally {
    if (inProcess.get(path) === mine) inProcess.delete(path);
  }
}

async function lockedCall<T>(path: string, fn: () => Promise<T>, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(`${process.pid}\n${hostname()}\n`);
      await fh.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (await isStale(path)) {
        await rm(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new WeirError('internal', `${path} is held by another run (remove it if no weir process is running)`);
      await sleep(25 + Math.random() * 50);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
