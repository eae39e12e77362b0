import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

const memo = new Map<string, string>();

/**
 * SHA-256 of a file's bytes. Remembered per (path, size, mtime) within the process, so a
 * preview followed by a run reads a large input once.
 */
export async function fileSha256(path: string): Promise<{ sha256: string; size: number }> {
  const st = await stat(path);
  const key = `${path}\0${st.size}\0${st.mtimeMs}`;
  const known = memo.get(key);
  if (known) return { sha256: known, size: st.size };
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  memo.set(key, sha256);
  return { sha256, size: st.size };
}
