import { readdir, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { fileSha256 } from './file-hash';
import type { OutputObject } from '../../../shared/run/record';

/** The name file-sink/ownership.ts gives its marker (kept here so storage does not import a node kind). */
export const OUTPUT_MARKER = '.weir-output.json';

/** Every file under a path (or the file itself), sorted, with sizes and hashes. */
export async function describeOutput(path: string): Promise<{ files: OutputObject[]; sha256: string }> {
  const st = await stat(path);
  const files: string[] = [];
  if (st.isDirectory()) {
    const walk = async (dir: string) => {
      for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        // A folder output's ownership marker says who wrote it; it is not part of the data.
        else if (!(dir === path && e.name === OUTPUT_MARKER)) files.push(p);
      }
    };
    await walk(path);
  } else files.push(path);
  const out: OutputObject[] = [];
  const tree = createHash('sha256');
  for (const f of files) {
    const { sha256, size } = await fileSha256(f);
    out.push({ uri: `file://${f}`, size, sha256 });
    tree.update(`${relative(path, f)}\0${sha256}\n`);
  }
  return { files: out, sha256: st.isDirectory() ? tree.digest('hex') : (out[0]?.sha256 ?? '') };
}
