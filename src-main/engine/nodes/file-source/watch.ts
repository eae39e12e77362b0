import type { BigIntStats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SourceWatch } from '../types';

/** Beyond this many folders under a pattern, a watch gives up and says "changed" every time. */
const MAX_FOLDERS = 2_000;

/**
 * File times advance by a clock tick (a few milliseconds on Linux, up to 2 s on FAT), so a
 * second write within the tick of the first can leave size and times as they were: a file or
 * folder changed less than this long before the watch was taken cannot be vouched for (git's
 * "racy clean" entries), and the watch says "changed" until one taken later.
 */
export const RACY_MS = 2_000;

const WILDCARD = /[*?[{]/;

/** The stat fields that change when a file's bytes, or a folder's entries, may have changed. */
function stamp(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

async function stampOf(path: string, racyBefore = Infinity): Promise<string | null> {
  try {
    const st = await stat(path, { bigint: true });
    return Number(st.mtimeMs) > racyBefore ? null : stamp(st);
  } catch {
    return null;
  }
}

/**
 * The folders whose entries decide what `pattern` (absolute, `/`-separated) matches: the
 * folder before its first wildcard and every folder the pattern may descend into below it
 * (all of them under a `**`). A file added, removed or renamed in any of them changes its
 * modification time; symbolic links are followed, as the glob follows them. Null when there
 * are more than MAX_FOLDERS.
 */
async function foldersOf(pattern: string): Promise<string[] | null> {
  const parts = pattern.split('/');
  const first = parts.findIndex((p) => WILDCARD.test(p));
  if (first === -1) return [dirname(pattern)];
  const base = parts.slice(0, first).join('/') || '/';
  const rest = parts.slice(first);
  const depth = rest.some((p) => p.includes('**')) ? Infinity : rest.length - 1;
  const out: string[] = [];
  const seen = new Set<string>();
  let level = [base];
  for (let d = 0; level.length && d <= depth; d++) {
    const next: string[] = [];
    for (const dir of level) {
      const st = await stat(dir, { bigint: true }).catch(() => null);
      if (!st?.isDirectory()) continue;
      const id = `${st.dev}:${st.ino}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(dir);
      if (out.length > MAX_FOLDERS) return null;
      if (d === depth) continue;
      for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (e.isDirectory() || e.isSymbolicLink()) next.push(join(dir, e.name));
      }
    }
    level = next;
  }
  return out.length ? out : [base];
}

/** Null for a path that is missing, or (when `racyBefore` is given) changed after that time. */
async function stamps(paths: readonly string[], racyBefore?: number): Promise<(string | null)[]> {
  return Promise.all(paths.map((p) => stampOf(p, racyBefore)));
}

const same = (a: readonly (string | null)[], b: readonly (string | null)[]) => a.length === b.length && a.every((x, i) => x !== null && x === b[i]);

/**
 * A watch over what a file source reads: the folders its pattern walks, stamped before the
 * files are matched (so a file added while matching shows as a change, never as nothing),
 * then the matched files. `unchanged` stats them all again: the same size, times and inode
 * everywhere means the pattern matches the same files with the same bytes, the test git's
 * index and the file-hash memo (storage/file-hash.ts) rely on too, once no time is too recent
 * to be trusted (RACY_MS).
 */
export async function watchFiles(pattern: string, match: () => Promise<string[]>, racyMs = RACY_MS): Promise<SourceWatch> {
  const racyBefore = Date.now() - racyMs;
  const folders = await foldersOf(pattern);
  if (!folders) return { unchanged: async () => false };
  const folderStamps = await stamps(folders, racyBefore);
  const files = await match();
  const fileStamps = await stamps(files, racyBefore);
  return {
    unchanged: async () => same(await stamps(folders), folderStamps) && same(await stamps(files), fileStamps),
  };
}
