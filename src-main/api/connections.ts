import { join } from 'node:path';
import type { ConnectionsInfoDto, ConnectionTestResultDto, SecretRefDto } from '../../shared/api/connection-schemas';
import { connectionKind } from '../../shared/connections/kinds';
import { secretsInClear } from '../../shared/connections/secrets';
import { secretRefNames } from '../../shared/connections/secret-refs';
import { jsonPath, WeirError } from '../../shared/errors';
import { connectionSpec, WORKSPACE_FILE, WORKSPACE_FORMAT, type ConnectionSpec } from '../../shared/workspace/schema';
import { findWorkspace, findWorkspaceFile, readWorkspaceFile, validateWorkspace, writeFileAtomic, type Engine } from '../engine';
import { workspaceRoot } from './paths';
import type { SecretStore } from './secrets';

type Json = Record<string, unknown>;

interface WorkspaceJson {
  /** The workspace file the designer edits: the one a run would find, or a new one at the root. */
  file: string;
  hasFile: boolean;
  /** The file's JSON as written (validated), or a new empty workspace. */
  raw: Json;
}

/** Reads (and validates) the file once; a malformed or invalid file is refused with its one-line message. */
function readWorkspace(root: string): WorkspaceJson {
  const file = findWorkspaceFile(root);
  if (!file) {
    return { file: join(root, WORKSPACE_FILE), hasFile: false, raw: { format: WORKSPACE_FORMAT, version: 1, default_environment: 'dev', environments: {} } };
  }
  return { file, hasFile: true, raw: readWorkspaceFile(file).raw as Json };
}

/**
 * Checks the new content in memory, then writes it: a change the schema refuses leaves the
 * file as it was. The answer is built from the same content, without reading the file again.
 */
async function writeWorkspace(ws: WorkspaceJson, raw: Json, secrets: SecretStore): Promise<ConnectionsInfoDto> {
  validateWorkspace(raw, ws.file);
  await writeFileAtomic(ws.file, formatWorkspaceFile(raw));
  return describeConnections({ file: ws.file, hasFile: true, raw }, secrets);
}

const asObject = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** `stored`: the names the keychain holds (listed, not read: reading decrypts, and one unreadable secret must not hide the list). */
function refsOf(spec: unknown, stored: ReadonlySet<string>): SecretRefDto[] {
  const names = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') for (const n of secretRefNames(v)) names.add(n);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(spec);
  return [...names].sort().map((name) => ({
    name,
    source: stored.has(name) ? 'keychain' : process.env[name] !== undefined ? 'environment' : null,
  }));
}

function describeSpecProblem(spec: unknown): string | null {
  const r = connectionSpec.safeParse(spec);
  if (r.success) return null;
  const i = r.error.issues[0];
  return i ? `${i.path.length ? `${jsonPath(i.path)}: ` : ''}${i.message}` : 'invalid connection';
}

/** Environments and their connections, as written, with the state of each referenced secret. */
export async function listConnections(rootIn: string, secrets: SecretStore): Promise<ConnectionsInfoDto> {
  return describeConnections(readWorkspace(workspaceRoot(rootIn)), secrets);
}

function describeConnections({ file, hasFile, raw }: WorkspaceJson, secrets: SecretStore): ConnectionsInfoDto {
  const envs = asObject(raw.environments);
  const stored = new Set(secrets.list());
  return {
    file,
    hasFile,
    defaultEnvironment: typeof raw.default_environment === 'string' ? raw.default_environment : 'dev',
    persistentSecrets: secrets.persistent,
    environments: Object.entries(envs).map(([name, e]) => {
      const env = asObject(e);
      return {
        name,
        description: typeof env.description === 'string' ? env.description : null,
        protected: env.protected === true,
        connections: Object.entries(asObject(env.connections)).map(([cname, spec]) => ({
          name: cname,
          kind: String(asObject(spec).kind ?? '?'),
          spec: asObject(spec),
          refs: refsOf(spec, stored),
          problem: describeSpecProblem(spec),
        })),
      };
    }),
  };
}

/**
 * Refuses a secret written in clear: the fields and entries its kind declares credentials
 * (shared/connections/<kind>/) must be `${env:NAME}` references (the designer stores the value
 * in the keychain under NAME).
 */
function checkNoSecrets(name: string, spec: ConnectionSpec): void {
  const [first] = secretsInClear(spec);
  if (first) throw new WeirError('invalid', `connection "${name}": ${first} (its value goes to the keychain, never to ${WORKSPACE_FILE})`);
}

/** The spec as the file should hold it: its kind's field order (its schema's), so a saved connection reads the same way every time; empty values dropped. */
function tidy(spec: Json): Json {
  const order = connectionKind(spec.kind)?.fileOrder ?? Object.keys(spec);
  const out: Json = {};
  for (const k of [...order, ...Object.keys(spec).filter((k) => !order.includes(k))]) {
    const v = spec[k];
    if (v === undefined || v === null || v === '') continue;
    out[k] = v;
  }
  return out;
}

/**
 * weir.workspace.json as the designer writes it: two-space JSON, one line per connection
 * (as the templates are written), so that adding a connection is a one-line diff.
 */
export function formatWorkspaceFile(raw: Json): string {
  const inline = (v: unknown): string => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const entries = Object.entries(v as Json);
      return entries.length ? `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }` : '{}';
    }
    if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
    return JSON.stringify(v);
  };
  const block = (v: unknown, indent: string, path: string[]): string => {
    const isConnection = path.length === 4 && path[0] === 'environments' && path[2] === 'connections';
    if (isConnection || !v || typeof v !== 'object' || Array.isArray(v)) return isConnection ? inline(v) : JSON.stringify(v);
    const entries = Object.entries(v as Json);
    if (!entries.length) return '{}';
    const inner = indent + '  ';
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${block(x, inner, [...path, k])}`).join(',\n')}\n${indent}}`;
  };
  return `${block(raw, '', [])}\n`;
}

export interface SaveConnectionRequest {
  root: string;
  environment: string;
  name: string;
  /** The connection's name before a rename. */
  previousName?: string;
  spec: Json;
}

/** Creates or replaces one connection (creating the environment, or the file, when missing). */
export async function saveConnection(req: SaveConnectionRequest, secrets: SecretStore): Promise<ConnectionsInfoDto> {
  const spec = tidy(req.spec);
  const parsed = connectionSpec.safeParse(spec);
  if (!parsed.success) throw new WeirError('invalid', `connection "${req.name}": ${describeSpecProblem(spec)}`);
  checkNoSecrets(req.name, parsed.data);
  const ws = readWorkspace(workspaceRoot(req.root));
  const raw = ws.raw;
  const envs = asObject(raw.environments);
  const env = asObject(envs[req.environment]);
  const connections = asObject(env.connections);
  if (req.previousName !== req.name && connections[req.name] !== undefined) {
    throw new WeirError('invalid', `environment "${req.environment}" already has a connection "${req.name}"`);
  }
  // A rename keeps the connection's place in the list.
  const next: Json = {};
  let placed = false;
  for (const [k, v] of Object.entries(connections)) {
    if (k === (req.previousName ?? req.name)) {
      next[req.name] = spec;
      placed = true;
    } else next[k] = v;
  }
  if (!placed) next[req.name] = spec;
  return writeWorkspace(ws, { ...raw, environments: { ...envs, [req.environment]: { ...env, connections: next } } }, secrets);
}

export async function deleteConnection(rootIn: string, environment: string, name: string, secrets: SecretStore): Promise<ConnectionsInfoDto> {
  const ws = readWorkspace(workspaceRoot(rootIn));
  const envs = asObject(ws.raw.environments);
  const env = asObject(envs[environment]);
  const connections = { ...asObject(env.connections) };
  if (connections[name] === undefined) throw new WeirError('invalid', `environment "${environment}" has no connection "${name}"`);
  delete connections[name];
  return writeWorkspace(ws, { ...ws.raw, environments: { ...envs, [environment]: { ...env, connections } } }, secrets);
}

export interface TestConnectionApiRequest {
  root: string;
  environment: string;
  name: string;
  /** An unsaved connection to try; omitted: the one saved under `name`. */
  spec?: Json;
}

/** The engine's context looks `${env:NAME}` up: the secret store first, then the environment. */
export async function testWorkspaceConnection(engine: Engine, req: TestConnectionApiRequest): Promise<ConnectionTestResultDto> {
  const root = workspaceRoot(req.root);
  const ws = findWorkspace(root);
  let spec: unknown = req.spec;
  if (spec === undefined) {
    const env = ws.file.environments[req.environment];
    if (!env) return { ok: false, message: `no environment "${req.environment}" in ${WORKSPACE_FILE}`, elapsedMs: 0 };
    spec = env.connections[req.name];
    if (!spec) return { ok: false, message: `environment "${req.environment}" defines no connection "${req.name}"`, elapsedMs: 0 };
  }
  const parsed = connectionSpec.safeParse(spec);
  if (!parsed.success) return { ok: false, message: `connection "${req.name}": ${describeSpecProblem(spec)}`, elapsedMs: 0 };
  return engine.testConnection({ name: req.name, spec: parsed.data, workspaceRoot: ws.root });
}
