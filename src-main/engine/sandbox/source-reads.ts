import { AsyncLocalStorage } from 'node:async_hooks';
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Workspace } from '../workspace/workspace';
import { readRegularTextSync } from '../host/regular-file';
import { globBase, type SourceRead } from './paths';

/** Folders never searched for pipelines. */
const SKIPPED = new Set(['.git', '.weir', 'node_modules']);
/** A workspace with more entries than this is not searched further (a hostile tree must not stall a run). */
const MAX_ENTRIES = 50_000;
/** Pipeline files larger than this are skipped here (the run of that file reports them). */
const MAX_PIPELINE_BYTES = 16 * 1024 * 1024;

/** Every `*.weir.json` under the workspace, breadth first, within the limits above (gc reads its sinks' folders too). */
export function pipelineFiles(root: string): string[] {
  const found: string[] = [];
  const queue = [root];
  let seen = 0;
  while (queue.length && seen < MAX_ENTRIES) {
    const dir = queue.shift()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (++seen > MAX_ENTRIES) break;
      if (e.isDirectory() && !SKIPPED.has(e.name)) queue.push(join(dir, e.name));
      else if (e.isFile() && e.name.endsWith('.weir.json')) found.push(join(dir, e.name));
    }
  }
  return found;
}

/** A node as a pipeline file holds it, before any validation. */
export interface LooseNode {
  name?: unknown;
  kind?: unknown;
  config?: { path?: unknown; connection?: unknown; prefix?: unknown };
}

/**
 * The nodes of every pipeline file of the workspace, read without validating them (a file
 * that does not parse cannot run, so it reads and writes nothing and is skipped).
 */
export function workspacePipelineNodes(root: string): { file: string; nodes: LooseNode[]; partitionKey: string | null }[] {
  const out: { file: string; nodes: LooseNode[]; partitionKey: string | null }[] = [];
  for (const file of pipelineFiles(root)) {
    try {
      if (statSync(file).size > MAX_PIPELINE_BYTES) continue;
      const doc = JSON.parse(readRegularTextSync(file).replace(/^\uFEFF/, '')) as { nodes?: unknown; partitions?: { key?: unknown } };
      // A partitioned pipeline's sinks write one `<key>=<lot>/` folder per lot (gc looks in them).
      const key = doc.partitions?.key;
      out.push({ file, nodes: Array.isArray(doc.nodes) ? (doc.nodes as LooseNode[]) : [], partitionKey: typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : null });
    } catch {
      continue;
    }
  }
  return out;
}

/**
 * What the sources of every pipeline in the workspace read from the local disk: file_source
 * paths (a file, or the folder a glob reads under), and the folders of lake_source nodes on
 * `folder` connections. Sinks may not write there (sandbox/paths.ts checkSinkTarget). Files
 * that do not parse are skipped: they cannot run, so they read nothing.
 */
export function workspaceSourceReads(ws: Workspace): SourceRead[] {
  const memo = readsScope.getStore();
  if (!memo) return collectSourceReads(ws);
  let reads = memo.get(ws.root);
  if (!reads) memo.set(ws.root, (reads = collectSourceReads(ws)));
  return reads;
}

/** Within `withSourceReadsMemo`: the workspace's source reads, by workspace root. */
const readsScope = new AsyncLocalStorage<Map<string, SourceRead[]>>();

/**
 * Runs `fn` with the workspace's source reads taken once (at their first use) for everything it
 * calls: a partitioned run's lots (lots/run-lots.ts). Each lot's preflight and each of its file
 * sinks checked its target against a fresh walk of the whole workspace, and the walk grows with
 * the lots' own folders (raw and curated), so a run's cost grew with the square of its lots
 * (about 7 s of 21 s of CPU at 60 lots). The walk is the run's: a pipeline file added to the
 * workspace while the run goes on is checked against from the next run on.
 */
export function withSourceReadsMemo<T>(fn: () => Promise<T>): Promise<T> {
  return readsScope.run(new Map(), fn);
}

function collectSourceReads(ws: Workspace): SourceRead[] {
  const reads: SourceRead[] = [];
  for (const { file, nodes } of workspacePipelineNodes(ws.root)) {
    for (const n of nodes) {
      const c = n?.config;
      if (!c || typeof c !== 'object') continue;
      if (n.kind === 'file_source' && typeof c.path === 'string' && !isAbsolute(c.path)) {
        const base = globBase(c.path);
        reads.push({ pipeline: file, path: resolve(ws.root, base || '.'), glob: base !== c.path });
      } else if (n.kind === 'lake_source' && typeof c.connection === 'string') {
        for (const env of Object.values(ws.file.environments)) {
          const spec = env.connections[c.connection];
          if (spec?.kind !== 'folder' || spec.path.includes('${env:')) continue;
          const folder = isAbsolute(spec.path) ? spec.path : resolve(ws.root, spec.path);
          const prefix = typeof c.prefix === 'string' ? c.prefix : '';
          reads.push({ pipeline: file, path: resolve(folder, globBase(prefix) || '.'), glob: true });
        }
      }
    }
  }
  return reads;
}
