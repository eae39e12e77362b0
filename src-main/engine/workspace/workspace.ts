import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PipelineInvalidError, WeirError, jsonPath } from '../../../shared/errors';
import { readTextFileSync } from '../pipeline/read-text';
import { connectionKind } from '../../../shared/connections/kinds';
import { WORKSPACE_FILE, workspaceV1, type ConnectionSpec, type WorkspaceFile } from '../../../shared/workspace/schema';
import { resolveSecretRefs } from '../secrets/derived';
import { processSecrets } from '../secrets/process-secrets';

export interface Workspace {
  /** The folder holding weir.workspace.json, or the pipeline's folder when there is none. */
  root: string;
  file: WorkspaceFile;
  filePath: string | null;
}

const EMPTY: WorkspaceFile = { format: 'weir.workspace', version: 1, default_environment: 'dev', environments: {} };

/** Walks up from `start` to the nearest weir.workspace.json. */
export function findWorkspace(start: string): Workspace {
  const filePath = findWorkspaceFile(start);
  return filePath ? loadWorkspaceFile(filePath) : { root: resolve(start), file: EMPTY, filePath: null };
}

/** The nearest weir.workspace.json at or above `start`, without reading it; null when there is none. */
export function findWorkspaceFile(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, WORKSPACE_FILE);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * The workspace a pipeline file runs in: the nearest weir.workspace.json above it, or its own
 * folder when there is none. Its `runsDir` is where the run record goes; the designer's
 * History (src-main/api/runs.ts) looks there through this same function.
 */
export function pipelineWorkspace(file: string): Workspace {
  return findWorkspace(dirname(file));
}

export function loadWorkspaceFile(path: string): Workspace {
  return { root: dirname(path), file: readWorkspaceFile(path).file, filePath: path };
}

/**
 * Reads a weir.workspace.json once: `raw` is the JSON as written (what the designer edits and
 * writes back), `file` the same checked against the schema, with its defaults filled in.
 */
export function readWorkspaceFile(path: string): { raw: unknown; file: WorkspaceFile } {
  // A regular UTF-8 file only: a FIFO or device named weir.workspace.json must not hang the read.
  const { text } = readTextFileSync(path, 'workspace file');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PipelineInvalidError(path, [{ path: '', message: `malformed workspace file: ${(e as Error).message}` }]);
  }
  return { raw, file: validateWorkspace(raw, path) };
}

/** Checks a workspace object against the schema (in memory: the designer checks before it writes). */
export function validateWorkspace(raw: unknown, path: string): WorkspaceFile {
  const parsed = workspaceV1.safeParse(raw);
  if (!parsed.success) {
    throw new PipelineInvalidError(
      path,
      parsed.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message })),
    );
  }
  return parsed.data;
}

export type SecretLookup = (name: string) => string | undefined;

/**
 * Resolves `${env:NAME}` (and values derived from it, `${sha1:env:NAME}`...) in every string of a
 * connection; names the connection when one is unset.
 * Every value is remembered as a secret (process-wide, whatever lookup the caller gave), so
 * whatever shows or records it masks it; but for the fields its kind declares `value`
 * locations (a PostgreSQL host and port: shared/connections/<kind>/), which no message could
 * do without and which go in clear to the network anyway.
 */
export function resolveConnection(name: string, spec: ConnectionSpec, lookup: SecretLookup): ConnectionSpec {
  const locations = connectionKind(spec.kind)?.locations ?? {};
  const resolveValue = (v: unknown, field?: string): unknown => {
    if (typeof v === 'string') {
      const location = field !== undefined && Object.hasOwn(locations, field) && locations[field] === 'value';
      // A derived value (`${sha1:env:NAME}`) is a credential wherever it sits: always remembered.
      return resolveSecretRefs(v, { who: `connection "${name}"`, lookup, remember: location ? null : processSecrets(), fallback: processSecrets() });
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveValue(x, v === spec ? k : undefined)]));
    }
    return v;
  };
  return resolveValue(spec) as ConnectionSpec;
}

export function environmentNames(ws: Workspace): string[] {
  return Object.keys(ws.file.environments);
}

/** The connection spec named in a pipeline, for the run's environment (unresolved). */
export function connectionSpecFor(ws: Workspace, env: string, name: string): ConnectionSpec {
  const environment = ws.file.environments[env];
  if (!environment) {
    const known = environmentNames(ws);
    throw new WeirError('usage', `no environment "${env}" in ${ws.filePath ?? 'the workspace'}${known.length ? ` (environments: ${known.join(', ')})` : ''}`);
  }
  const spec = environment.connections[name];
  if (!spec) {
    throw new WeirError('invalid', `environment "${env}" defines no connection "${name}"`);
  }
  return spec;
}
