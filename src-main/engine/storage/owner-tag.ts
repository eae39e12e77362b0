import { createHash, randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { rename, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/**
 * Temporary things (a half-written cache file, a scratch folder) carry the process that made
 * them in their name, `w<host>-<pid>`, so that whoever finds one later can tell whether its
 * maker is gone without any other state: on this host, a pid that no longer exists is a dead
 * maker. A name is the only record a SIGKILL cannot skip.
 */

/** Another host's litter is left alone this long: its process cannot be asked whether it lives. */
export const OTHER_HOST_GRACE_MS = 24 * 60 * 60 * 1000;

import { hostTag, pidAlive } from '../host/identity';
import { writeFileThrough } from './atomic-write';

export { hostTag, pidAlive };

/** `w<host>-<pid>`: this process. */
export function processTag(pid = process.pid): string {
  return `w${hostTag()}-${pid}`;
}

/** A temporary sibling of `path` that says which process writes it: `<path>.w<host>-<pid>-<random>.tmp`. */
export function taggedTempPath(path: string): string {
  return `${path}.${processTag()}-${randomBytes(4).toString('hex')}.tmp`;
}

/** Writes a file through a tagged temporary sibling and a rename: readers never see half of it, and a killed writer's temp is known as litter. */
export async function writeFileTagged(path: string, text: string): Promise<void> {
  await writeFileThrough(path, text, taggedTempPath(path));
}

/** Marks a cache file as just used (eviction goes least recently used first); a read-only cache just is not marked. */
export async function touch(path: string): Promise<void> {
  const now = new Date();
  await utimes(path, now, now).catch(() => {});
}

export interface OwnerTag {
  host: string;
  pid: number;
}

const TAG = /(?:^|[.-])w([0-9a-f]{8})-(\d+)-/;

/** The maker named in a file or folder name, or null for names without one (older Weir versions). */
export function parseOwnerTag(name: string): OwnerTag | null {
  const m = TAG.exec(name);
  return m ? { host: m[1]!, pid: Number(m[2]) } : null;
}

/**
 * Whether what `tag` made may still be in use: on this host, while its process lives; on
 * another host, until it has not changed for OTHER_HOST_GRACE_MS. `modifiedMs` is the thing's
 * own last change (a file being written keeps it fresh).
 */
export function makerMayLive(tag: OwnerTag, modifiedMs: number, now = Date.now()): boolean {
  if (tag.host === hostTag()) return pidAlive(tag.pid);
  return now - modifiedMs < OTHER_HOST_GRACE_MS;
}
