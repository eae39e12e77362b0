import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The cache's bound when neither `--cache-max-size` nor WEIR_CACHE_MAX_SIZE (the engine's settings) says otherwise. */
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 ** 3;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

/** `10GB`, `500M`, `1.5 GiB`, `0`, `4096` (bytes); units are powers of 1024. Null when it is not a size. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return null;
  const unit = UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return null;
  const bytes = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** Bytes under a path (a file, or a folder walked without following symbolic links); 0 when it is gone. */
export async function sizeOf(path: string): Promise<number> {
  let total = 0;
  const stack = [path];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      const st = await lstat(p);
      if (st.isDirectory()) for (const n of await readdir(p)) stack.push(join(p, n));
      else total += st.size;
    } catch {
      // Removed while we looked: it counts for nothing.
    }
  }
  return total;
}
