import { createHash } from 'node:crypto';
import { cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { version as duckdbVersion } from '@duckdb/node-api';
import { generateCgtData } from '../../src-main/engine';
import type { Scale } from './args';

export const REPO = join(import.meta.dirname, '..', '..');
export const TEMPLATE_DIR = join(REPO, 'templates', 'cgt-batch-release');
export const TEMPLATE_PIPELINE = join('pipelines', 'batch_release.weir.json');
const GENERATOR_FILES = ['generate-cgt.ts', 'cgt-sql.ts', 'cgt-model.ts'].map((f) => join(REPO, 'src-main', 'engine', 'sample', f));

/**
 * Where generated data for a scale is kept between bench runs: keyed by the scale, the
 * seed, the DuckDB version and the generator's source, so a changed generator regenerates.
 */
export function datasetDir(scale: Scale): string {
  const h = createHash('sha256');
  for (const f of GENERATOR_FILES) h.update(readFileSync(f));
  h.update(duckdbVersion());
  const key = `b${scale.batches}-r${scale.readings}-a${scale.assays}-s${scale.seed}-${h.digest('hex').slice(0, 12)}`;
  return join(tmpdir(), 'weir-bench-data', key);
}

export interface Dataset {
  dir: string;
  reused: boolean;
  generateMs: number;
  files: { path: string; rows: number; bytes: number }[];
}

/** The generated CGT data at this scale: reused when an earlier bench run made it. */
export async function ensureDataset(scale: Scale): Promise<Dataset> {
  const dir = datasetDir(scale);
  const manifest = join(dir, 'bench-manifest.json');
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as Omit<Dataset, 'dir' | 'reused'>;
    return { ...m, dir, reused: true };
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const t0 = performance.now();
  const { files } = await generateCgtData({ outDir: tmp, batches: scale.batches, totalReadings: scale.readings, assays: scale.assays, seed: scale.seed });
  const generateMs = performance.now() - t0;
  const withBytes = files.map((f) => ({ ...f, bytes: statSync(join(tmp, f.path)).size }));
  writeFileSync(join(tmp, 'bench-manifest.json'), JSON.stringify({ generateMs, files: withBytes }, null, 2));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, '..'), { recursive: true });
  renameSync(tmp, dir);
  return { dir, reused: false, generateMs, files: withBytes };
}

/** Hard links (cheap, same bytes and inode) where possible, copies across file systems. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.name === 'bench-manifest.json') continue;
    const src = join(from, e.name);
    const dst = join(to, e.name);
    if (e.isDirectory()) linkTree(src, dst);
    else {
      try {
        linkSync(src, dst);
      } catch {
        cpSync(src, dst);
      }
    }
  }
}

export interface BenchWorkspace {
  root: string;
  pipeline: string;
  remove(): void;
}

/**
 * A private workspace: the template (pipelines, workspace file) with the generated data
 * in place of its small sample under data/raw.
 */
export function makeWorkspace(data: Dataset): BenchWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-ws-'));
  const rawRel = join('data', 'raw');
  cpSync(TEMPLATE_DIR, root, {
    recursive: true,
    filter: (p) => {
      const rel = relative(TEMPLATE_DIR, p);
      return !rel.startsWith(rawRel) && !rel.split('/').includes('.weir');
    },
  });
  linkTree(data.dir, join(root, rawRel));
  if (!existsSync(join(root, 'weir.workspace.json'))) {
    writeFileSync(
      join(root, 'weir.workspace.json'),
      JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }, null, 2),
    );
  }
  return { root, pipeline: join(root, TEMPLATE_PIPELINE), remove: () => rmSync(root, { recursive: true, force: true }) };
}
