import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WeirError } from '../../../../shared/errors';
import { buildEvidencePackage, type EvidenceRequest, type EvidenceResult } from './build';
import type { EvidenceManifest } from './manifest';
import { zipFiles } from './zip';

/**
 * `weir evidence ... --out FILE.zip`: the package folder, built in a temporary folder, as one
 * deterministic zip (zip.ts): the files manifest.json lists, then manifest.json itself, in
 * path order. Extracted, it is the folder output byte for byte and verifies the same way.
 */
export async function buildEvidenceZip(req: EvidenceRequest): Promise<EvidenceResult> {
  if (existsSync(req.out)) throw new WeirError('usage', `--out ${req.out} exists: give a new file`);
  const tmp = await mkdtemp(join(tmpdir(), 'weir-evidence-'));
  try {
    const folder = join(tmp, 'package');
    const built = await buildEvidencePackage({ ...req, out: folder });
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as EvidenceManifest;
    const paths = [...manifest.files.map((f) => f.path), 'manifest.json'].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const files = await Promise.all(paths.map(async (path) => ({ path, body: await readFile(join(folder, ...path.split('/'))) })));
    try {
      await writeFile(req.out, zipFiles(files), { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new WeirError('usage', `--out ${req.out} exists: give a new file`);
      throw e;
    }
    return { ...built, out: req.out };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
