import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write';
import { readRegularText } from '../host/regular-file';

const memo = new Map<string, string>();
let dirty = false;
let bytesRead = 0;

/** Bytes this process has read to hash files (tests and the benchmarks: what a preview cost in hashing). */
export function bytesHashed(): number {
  return bytesRead;
}

function statKey(path: string, st: { size: number; mtimeMs: number; ino: number }): string {
  return `${path}\0${st.size}\0${st.mtimeMs}\0${st.ino}`;
}

/**
 * SHA-256 of a file's bytes, remembered per (path, size, mtime, inode) — as git's index
 * does — so a preview followed by a run, or a re-run, reads a large input once.
 */
export async function fileSha256(path: string): Promise<{ sha256: string; size: number }> {
  const st = await stat(path);
  const key = statKey(path, st);
  const known = memo.get(key);
  if (known) return { sha256: known, size: st.size };
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytesRead += (chunk as Buffer).length;
  }
  const sha256 = hash.digest('hex');
  memo.set(key, sha256);
  dirty = true;
  return { sha256, size: st.size };
}

/** Loads hashes remembered by earlier processes (the CLI starts fresh every run). */
export async function loadFileHashMemo(file: string): Promise<void> {
  try {
    const saved = JSON.parse(await readRegularText(file)) as Record<string, string>;
    for (const [k, v] of Object.entries(saved)) if (!memo.has(k)) memo.set(k, v);
  } catch {
    // No memo yet, or unreadable: hashes are recomputed, nothing is lost.
  }
}

export async function saveFileHashMemo(file: string): Promise<void> {
  if (!dirty) return;
  // Bounded: the newest entries are kept.
  const entries = [...memo.entries()].slice(-20_000);
  await writeFileAtomic(file, JSON.stringify(Object.fromEntries(entries)));
  dirty = false;
}
