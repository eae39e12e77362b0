import { readdirSync, realpathSync } from 'node:fs';
import { isLotKey } from '../../../shared/pipeline/partitions';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { workspacePipelineNodes } from '../sandbox/source-reads';
import type { Workspace } from '../workspace/workspace';

export interface LakeSinkRef {
  pipeline: string;
  node: string;
  connection: string;
  path: string;
  /** The pipeline's partition key: its lots publish under `<path>/<key>=<lot>/`, each with its own manifest. */
  partitionKey?: string;
}

export interface WorkspaceSinks {
  /** Absolute targets of file sinks (a file, or a folder when partitioned), inside the workspace. */
  fileTargets: string[];
  lakeSinks: LakeSinkRef[];
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/** The real folder of `dir` when it is inside the workspace (symlinks resolved), else null. */
function containedFolder(realRoot: string, dir: string): string | null {
  try {
    const real = realpathSync(dir);
    return inside(realRoot, real) ? real : null;
  } catch {
    return null; // not there: nothing was staged in it
  }
}

/** The `<key>=<lot>/` folders in `folder` (real folders inside it: a symlink is not followed). */
function lotFolders(folder: string, key: string): string[] {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  const prefix = `${key}=`;
  return entries.filter((e) => e.isDirectory() && e.name.startsWith(prefix) && isLotKey(e.name.slice(prefix.length))).map((e) => join(folder, e.name));
}

/**
 * The sinks of every pipeline in the workspace, read from the files without validating them
 * (a file that does not parse cannot run, so it stages nothing). Litter of file sinks lies
 * beside their targets, so these folders are the only ones a run has to look in: the rest of
 * the workspace is never walked.
 */
export function workspaceSinks(ws: Workspace): WorkspaceSinks {
  const fileTargets = new Set<string>();
  const lakeSinks: LakeSinkRef[] = [];
  let realRoot: string;
  try {
    realRoot = realpathSync(ws.root);
  } catch {
    return { fileTargets: [], lakeSinks };
  }
  for (const { file, nodes, partitionKey } of workspacePipelineNodes(ws.root)) {
    for (const n of nodes) {
      const c = n?.config;
      if (!c || typeof c !== 'object' || typeof c.path !== 'string' || !c.path) continue;
      if (n.kind === 'file_sink') {
        if (isAbsolute(c.path) || c.path.split(/[\\/]/).includes('..')) continue;
        const target = resolve(ws.root, c.path);
        const folder = containedFolder(realRoot, dirname(target));
        if (folder) fileTargets.add(join(folder, basename(target)));
        // A lot's output is `<folder>/<key>=<lot>/<name>` (shared/pipeline/lot-pipeline.ts): its staging lies there.
        if (folder && partitionKey) for (const lot of lotFolders(folder, partitionKey)) fileTargets.add(join(lot, basename(target)));
      } else if (n.kind === 'lake_sink' && typeof c.connection === 'string') {
        lakeSinks.push({ pipeline: file, node: typeof n.name === 'string' ? n.name : '?', connection: c.connection, path: c.path, ...(partitionKey ? { partitionKey } : {}) });
      }
    }
  }
  return { fileTargets: [...fileTargets].sort(), lakeSinks };
}
