import type { CompileAt, CompiledSql, NodeKind } from './define';
import { isTopLevel, roleFields, sqlTextOf, type FieldRole } from './field-roles';
import { nodeKinds } from './kinds';
import type { SqlField } from './sql-fields';

export type { NodeCategory } from './define';

/**
 * What both sides know about a node kind, looked up by name: its definition (define.ts). How
 * it runs lives in src-main/engine/nodes/<kind>/.
 */
export type NodeKindSpec = NodeKind;

/** A set of kinds by name; the app's is built from kinds.ts, a test may build its own. */
export interface KindRegistry {
  readonly kinds: readonly NodeKind[];
  get(kind: string): NodeKind | undefined;
}

export function kindRegistry(kinds: readonly NodeKind[]): KindRegistry {
  const byKind = new Map<string, NodeKind>();
  for (const k of kinds) {
    if (byKind.has(k.kind)) throw new Error(`node kind "${k.kind}" is defined twice`);
    byKind.set(k.kind, k);
  }
  return { kinds, get: (kind) => byKind.get(kind) };
}

const registry = kindRegistry(nodeKinds);

export const nodeKindSpecs: readonly NodeKindSpec[] = registry.kinds;

export function nodeKindSpec(kind: string): NodeKindSpec | undefined {
  return registry.get(kind);
}

export function nodeKindNames(): string[] {
  return nodeKindSpecs.map((s) => s.kind);
}

type Roles = Readonly<Record<string, FieldRole | undefined>>;

/** The declared roles of a kind by field path; none for a kind this build does not know. */
export function fieldRolesOf(kind: string, kinds: KindRegistry = registry): Roles {
  return kinds.get(kind)?.fields ?? {};
}

const isDuckdbSql = (r: FieldRole) => r.type === 'sql';

/**
 * The SQL fields of a node whose config has been parsed by its kind's schema: the DuckDB SQL a
 * user typed, from the kind's declared roles. What the sandbox checks (each must be one SELECT,
 * or one expression, reading only the node's inputs).
 */
export function sqlFieldsOf(kind: string, config: unknown, kinds: KindRegistry = registry): SqlField[] {
  const out: SqlField[] = [];
  for (const f of roleFields(fieldRolesOf(kind, kinds), config, isDuckdbSql)) {
    const text = sqlTextOf(f.value);
    if (text === null || f.role.type !== 'sql') continue;
    if (f.role.blankIsNone && text.trim() === '') continue;
    out.push({ path: ['config', ...f.path], text, form: f.role.form });
  }
  return out;
}

/** The top-level config fields of a kind that hold SQL (its own, or another system's): diffed as SQL lines. */
export function sqlKeysOf(kind: string, kinds: KindRegistry = registry): string[] {
  return Object.entries(fieldRolesOf(kind, kinds))
    .filter(([path, role]) => isTopLevel(path) && (role?.type === 'sql' || role?.type === 'foreign_sql'))
    .map(([path]) => path);
}

/**
 * A node's SQL as `weir plan` shows it, with paths as the file writes them (the engine adds
 * absolute paths and run ids); or why it cannot be compiled yet. Never throws, so the
 * designer can call it on every edit.
 */
export function nodeSql(kind: string, config: unknown, at: CompileAt, kinds: KindRegistry = registry): { ok: true; sql: CompiledSql } | { ok: false; message: string } {
  const def = kinds.get(kind);
  if (!def) return { ok: false, message: `unknown node kind "${kind}"` };
  const parsed = def.config.safeParse(config);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'invalid config' };
  try {
    return { ok: true, sql: def.compile(parsed.data, at) };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

const details = new WeakMap<object, string | null>();

function firstLine(text: string): string | null {
  return text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('--'))?.trim() ?? null;
}

/**
 * The short line a node's card shows: what its kind's `detail` says of a config that parses,
 * else the first top-level path or SQL query its roles name. Remembered per config object, so a
 * large canvas parses each config once.
 */
export function nodeDetail(kind: string, config: Record<string, unknown>, kinds: KindRegistry = registry): string | null {
  if (details.has(config)) return details.get(config) ?? null;
  const def = kinds.get(kind);
  let out: string | null = null;
  const parsed = def?.detail ? def.config.safeParse(config) : null;
  if (def?.detail && parsed?.success) out = def.detail(parsed.data);
  else {
    const top = roleFields(fieldRolesOf(kind, kinds), config, (r) => r.type === 'path' || (r.type === 'sql' && r.form === 'query')).filter((f) => f.path.length === 1);
    for (const f of top) {
      const text = sqlTextOf(f.value);
      out = text === null ? null : f.role.type === 'path' ? text || null : firstLine(text);
      if (out) break;
    }
  }
  details.set(config, out);
  return out;
}
