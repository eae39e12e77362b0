import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { WeirError } from '../../../shared/errors';
import { canonicalJson } from '../../../shared/canonical-json';
import { isLotKey, lotPath, lotPlaceholder, type PartitionsSpec } from '../../../shared/pipeline/partitions';
import { lotGlob } from '../../../shared/pipeline/lot-pipeline';
import type { Pipeline, PipelineNode } from '../../../shared/pipeline/schema';
import type { InputObject } from '../../../shared/run/record';
import type { EngineContext } from '../context';
import { fileSha256 } from '../storage/file-hash';
import { globMatcher, globToRegExp, normalizePrefix } from '../storage/glob';
import { visibleObjects } from '../storage/lake-listing';
import { closeObjectStore } from '../storage/open-store';
import type { ObjectStore } from '../storage/object-store';
import { checkContained, globBase, targetKind } from '../sandbox/paths';
import { connectionSpecFor, resolveConnection, type SecretLookup, type Workspace } from '../workspace/workspace';
import type { ParamValue } from '../../../shared/pipeline/params';

/** One input a lot reads, as its fingerprint sees it: where (machine-independent) and which content. */
export interface LotInput extends InputObject {
  /** A workspace-relative path for a file, the object's URI for a lake object. */
  where: string;
  /** SHA-256 of a file, ETag (and version) of an object. */
  content: string;
}

export interface DiscoveredLots {
  key: string;
  /** Every lot found, sorted, with the inputs only it reads. */
  lots: Map<string, LotInput[]>;
  /** What every lot reads: sources that are not split, and column-split sources (read whole). */
  shared: LotInput[];
  /** Values found in paths that cannot be lots (see isLotKey), for a note. */
  skipped: string[];
}

export interface DiscoverOptions {
  engine: EngineContext;
  pipeline: Pipeline;
  spec: PartitionsSpec;
  workspace: Workspace;
  environment: string;
  secrets: SecretLookup;
  signal?: AbortSignal;
}

const SKIP_DIRS = new Set(['.weir', '.git', 'node_modules']);

/** Files under `base` (workspace-relative, forward slashes), never inside .weir/ or .git/. */
async function filesUnder(ws: Workspace, base: string, who: string): Promise<string[]> {
  const root = resolve(ws.root, base || '.');
  // Never list a folder outside the workspace (the file's checks refuse such templates first).
  checkContained(ws, root, who);
  // A pattern without wildcards names one file.
  if (targetKind(root) === 'file') return [relative(ws.root, root).replace(/\\/g, '/')];
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
  const out: string[] = [];
  for (const d of entries) {
    if (!d.isFile() && !d.isSymbolicLink()) continue;
    const abs = join(d.parentPath, d.name);
    const rel = relative(ws.root, abs).replace(/\\/g, '/');
    if (rel.split('/').some((s) => SKIP_DIRS.has(s))) continue;
    out.push(rel);
  }
  return out.sort();
}

/** `data/lots/{batch_id}/*.csv` as a matcher giving the lot's value (every placeholder must agree). */
export function templateMatcher(template: string, key: string): (path: string) => string | null {
  const parts = template.split(lotPlaceholder(key)).map((part) => globToRegExp(part).source.slice(1, -1));
  // Later placeholders are back-references: the engine then finds the split where all agree.
  const re = new RegExp(`^${parts.map((p, i) => (i === 0 ? p : `${i === 1 ? '([^/]+)' : '\\1'}${p}`)).join('')}$`);
  return (path) => re.exec(path)?.[1] ?? null;
}

async function describeFile(ws: Workspace, rel: string, who: string): Promise<LotInput | null> {
  const abs = resolve(ws.root, rel);
  checkContained(ws, abs, who);
  if (targetKind(abs) !== 'file') return null;
  const { sha256, size } = await fileSha256(abs);
  return { uri: `file://${abs.replace(/\\/g, '/')}`, size, sha256, where: rel, content: sha256 };
}

function add(lots: Map<string, LotInput[]>, value: string, input: LotInput): void {
  const list = lots.get(value);
  if (list) list.push(input);
  else lots.set(value, [input]);
}

async function openLake(o: DiscoverOptions, connection: string): Promise<ObjectStore> {
  const spec = resolveConnection(connection, connectionSpecFor(o.workspace, o.environment, connection), o.secrets);
  return o.engine.clients.objectStore(connection, spec, { workspaceRoot: o.workspace.root });
}

function objectInput(store: ObjectStore, info: { key: string; etag: string; versionId?: string; size: number }): LotInput {
  return {
    uri: store.uri(info.key),
    size: info.size,
    etag: info.etag,
    ...(info.versionId ? { versionId: info.versionId } : {}),
    where: store.uri(info.key),
    content: `${info.etag} ${info.versionId ?? ''}`,
  };
}

/** A whole source's inputs (files or objects) that every lot reads; nothing for kinds that cannot be fingerprinted by listing. */
async function wholeSource(o: DiscoverOptions, node: PipelineNode): Promise<LotInput[]> {
  const who = `${node.kind} "${node.name}"`;
  if (node.kind === 'file_source' && typeof node.config.path === 'string') {
    const pattern = node.config.path.replace(/\\/g, '/');
    const matches = globMatcher(pattern);
    const found: LotInput[] = [];
    for (const rel of await filesUnder(o.workspace, globBase(pattern), who)) {
      if (!matches(rel)) continue;
      const d = await describeFile(o.workspace, rel, who);
      if (d) found.push(d);
    }
    return found;
  }
  if (node.kind === 'lake_source' && typeof node.config.connection === 'string') {
    const store = await openLake(o, node.config.connection);
    try {
      const prefix = normalizePrefix(typeof node.config.prefix === 'string' ? node.config.prefix : '');
      const matches = globMatcher(typeof node.config.glob === 'string' ? node.config.glob : '**/*');
      return (await visibleObjects(store, prefix, { signal: o.signal })).filter((x) => matches(x.path)).map((x) => objectInput(store, x.info));
    } finally {
      closeObjectStore(store);
    }
  }
  return [];
}

/**
 * The lots of a partitioned pipeline, from its sources' listings (workspace folders, lake
 * prefixes): each lot with the inputs it reads. Nothing is read but listings and the hashes of
 * files (kept in the file-hash memo, so an unchanged file is not read again).
 */
export async function discoverLots(o: DiscoverOptions): Promise<DiscoveredLots> {
  const { spec, workspace } = o;
  const key = spec.key;
  const lots = new Map<string, LotInput[]>();
  const shared: LotInput[] = [];
  const skipped = new Set<string>();
  for (const node of o.pipeline.nodes) {
    const how = spec.sources[node.id];
    const who = `${node.kind} "${node.name}"`;
    if (how && 'path' in how) {
      const match = templateMatcher(how.path, key);
      const base = globBase(lotPath(how.path, key, '*'));
      for (const rel of await filesUnder(workspace, base, who)) {
        const value = match(rel);
        if (value === null) continue;
        if (!isLotKey(value)) {
          skipped.add(value);
          continue;
        }
        const d = await describeFile(workspace, rel, who);
        if (d) add(lots, value, d);
      }
    } else if (how && 'hive' in how) {
      const connection = String(node.config.connection);
      const store = await openLake(o, connection);
      try {
        const prefix = normalizePrefix(typeof node.config.prefix === 'string' ? node.config.prefix : '');
        const glob = typeof node.config.glob === 'string' ? node.config.glob : '**/*';
        const matchers = new Map<string, (p: string) => boolean>();
        const folder = new RegExp(`^${key}=([^/]+)/`);
        for (const x of await visibleObjects(store, prefix, { signal: o.signal })) {
          const value = folder.exec(x.path)?.[1];
          if (value === undefined) continue;
          if (!isLotKey(value)) {
            skipped.add(value);
            continue;
          }
          let m = matchers.get(value);
          if (!m) matchers.set(value, (m = globMatcher(lotGlob(glob, key, value))));
          if (m(x.path)) add(lots, value, objectInput(store, x.info));
        }
      } finally {
        closeObjectStore(store);
      }
    } else if (node.kind === 'file_source' || node.kind === 'lake_source') {
      shared.push(...(await wholeSource(o, node)));
    }
  }
  const sorted = new Map([...lots.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { key, lots: sorted, shared, skipped: [...skipped].sort() };
}

/**
 * A lot's fingerprint: SHA-256 over what decides its result: the pipeline's logic (nodes, params
 * and partitions; not the layout or descriptions' whitespace), the run's parameter values, and
 * the content of every input it reads (its own and the shared ones), by machine-independent
 * location. The same on every machine that sees the same inputs.
 */
export function lotFingerprint(pipeline: Pipeline, params: Record<string, ParamValue>, inputs: readonly LotInput[]): string {
  const h = createHash('sha256');
  h.update(canonicalJson({ nodes: pipeline.nodes, params: pipeline.params, partitions: pipeline.partitions ?? null }));
  h.update('\0');
  h.update(canonicalJson(params));
  h.update('\0');
  for (const line of inputs.map((i) => `${i.where} ${i.content}`).sort()) h.update(`${line}\n`);
  return h.digest('hex');
}

/** The lot values as given to `--partitions K1,K2` or `--partition K`, each checked. */
export function parseLotList(text: string): string[] {
  const values = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (!values.length) throw new WeirError('usage', 'expected at least one lot value');
  for (const v of values) if (!isLotKey(v)) throw new WeirError('usage', `"${v}" is not a lot value (letters, digits, ".", "_", "-", at most 128)`);
  return values;
}
