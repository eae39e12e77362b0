import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { WeirError } from '../../shared/errors';
import type { PipelineEntry, WorkspaceInfo } from '../../shared/api/schemas';
import { protectedEnvironments, WORKSPACE_FILE } from '../../shared/workspace/schema';
import { findWorkspace, readRegularText } from '../engine';
import { toWorkspacePath, workspaceRoot } from './paths';
import { parseForDesigner } from './pipeline-text';

const SKIP = new Set(['node_modules', '.git', '.weir', 'out', 'dist']);
const MAX_DEPTH = 5;
const MAX_FILES = 1000;

export async function findPipelineFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || found.length >= MAX_FILES) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folders are not the user's pipelines
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !e.name.startsWith('.')) await walk(join(dir, e.name), depth + 1);
      } else if (e.isFile() && e.name.endsWith('.weir.json')) {
        found.push(join(dir, e.name));
      }
    }
  };
  await walk(root, 0);
  return found.slice(0, MAX_FILES);
}

async function describePipeline(root: string, abs: string): Promise<PipelineEntry> {
  const path = toWorkspacePath(root, abs);
  const st = await stat(abs);
  const fallback = basename(abs).replace(/\.weir\.json$/, '');
  try {
    const { pipeline } = parseForDesigner(await readRegularText(abs), path);
    return { path, name: pipeline.name, nodes: pipeline.nodes.length, error: null, modifiedAt: st.mtime.toISOString() };
  } catch (e) {
    return { path, name: fallback, nodes: null, error: (e as Error).message, modifiedAt: st.mtime.toISOString() };
  }
}

export async function listPipelines(root: string): Promise<PipelineEntry[]> {
  const files = await findPipelineFiles(root);
  return Promise.all(files.map((f) => describePipeline(root, f)));
}

/** A workspace folder as the designer shows it; a folder without weir.workspace.json still opens. */
export async function describeWorkspace(rootIn: string, opts: { sample?: boolean } = {}): Promise<WorkspaceInfo> {
  const root = workspaceRoot(rootIn);
  let environments: string[] = [];
  let protectedNames: string[] = [];
  let defaultEnvironment = 'dev';
  const own = join(root, WORKSPACE_FILE);
  try {
    const ws = findWorkspace(root);
    environments = Object.keys(ws.file.environments);
    protectedNames = protectedEnvironments(ws.file);
    defaultEnvironment = ws.file.default_environment;
  } catch (e) {
    throw e instanceof WeirError ? e : new WeirError('invalid', `${own}: ${(e as Error).message}`);
  }
  return {
    root,
    name: basename(root) || root,
    pipelines: await listPipelines(root),
    environments,
    protectedEnvironments: protectedNames,
    defaultEnvironment,
    hasWorkspaceFile: existsSync(own),
    sample: opts.sample ?? false,
  };
}

/** The folders inside `path`, for the designer's own folder chooser (the browser has none). */
export async function listFolders(path: string) {
  const root = workspaceRoot(path);
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const folders = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .map((e) => ({ name: e.name, path: join(root, e.name), isWorkspace: existsSync(join(root, e.name, WORKSPACE_FILE)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const parent = dirname(root);
  return { path: root, parent: parent === root ? null : parent, folders, isWorkspace: existsSync(join(root, WORKSPACE_FILE)) };
}
