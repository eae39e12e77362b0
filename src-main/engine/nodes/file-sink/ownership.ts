import { readdir, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { WeirError } from '../../../../shared/errors';
import { OUTPUT_MARKER } from '../../storage/tree-hash';
import { readRegularText } from '../../host/regular-file';

/**
 * A folder output (a partitioned file sink) carries a marker naming the pipeline and node that
 * wrote it and every file it wrote. A run replaces an existing folder only when the marker
 * says it wrote that folder and nothing else is in it, so that a sink pointed at a folder of
 * someone else's files (`data`, `.`) refuses before writing anything instead of deleting them.
 * The marker holds no run id or time, so identical runs give identical folders.
 */
export const OWNER_MARKER = OUTPUT_MARKER;

interface OwnerMarker {
  format: 'weir.output';
  pipeline: string;
  node: string;
  files: string[];
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  }
  return out.sort();
}

async function readMarker(dir: string): Promise<OwnerMarker | null> {
  try {
    const m = JSON.parse(await readRegularText(join(dir, OWNER_MARKER))) as OwnerMarker;
    return m?.format === 'weir.output' && Array.isArray(m.files) ? m : null;
  } catch {
    return null;
  }
}

/** Refuses, with one line, to replace a folder that holds anything this sink did not write. */
export async function checkFolderOwned(dir: string, owner: { pipeline: string; node: string }, who: string, shown: string): Promise<void> {
  const present = await filesUnder(dir);
  if (!present.length) return;
  const marker = await readMarker(dir);
  if (!marker) {
    throw new WeirError('invalid', `${who}: "${shown}" is a folder Weir did not write (it holds ${present[0]}${present.length > 1 ? ` and ${present.length - 1} more` : ''}); nothing was written. Choose a new or empty folder`);
  }
  if (marker.pipeline !== owner.pipeline || marker.node !== owner.node) {
    throw new WeirError('invalid', `${who}: "${shown}" was written by node "${marker.node}" of ${marker.pipeline}; two sinks cannot share an output folder`);
  }
  const written = new Set([...marker.files, OWNER_MARKER]);
  const stray = present.find((f) => !written.has(f));
  if (stray) throw new WeirError('invalid', `${who}: "${shown}" holds ${stray}, which Weir did not write there; nothing was written. Move it away first`);
}

/** Writes the marker into a staged folder, listing the files in it. */
export async function writeMarker(dir: string, owner: { pipeline: string; node: string }): Promise<void> {
  const files = (await filesUnder(dir)).filter((f) => f !== OWNER_MARKER);
  const marker: OwnerMarker = { format: 'weir.output', pipeline: owner.pipeline, node: owner.node, files };
  await writeFile(join(dir, OWNER_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}
