/**
 * What a config field means beyond its type, declared once by its kind (define.ts) and read
 * by every tool that would otherwise guess from field names: rename and paste (which fields
 * hold SQL or name nodes), the sandbox (which SQL to check), the semantic diff (which fields
 * diff as SQL lines), the forms (which widget), the card, the preflight (connections).
 *
 * A field is named by a path over the config: `condition`, `csv.delimiter`, `rules[].where`
 * (`[]`: every item of the array). A path naming an array of strings (`group_by`) means each
 * of its values.
 */
export type FieldRole =
  /**
   * DuckDB SQL a user types, reading the node's inputs by name: a whole SELECT (`query`) or an
   * expression placed inside generated SQL (`expression`). Text or lines. `blankIsNone`: an
   * optional field where blank text means "none" (no SQL to check or show).
   */
  | { type: 'sql'; form: 'query' | 'expression'; blankIsNone?: boolean }
  /** SQL run by another system (a PostgreSQL query): shown and diffed as SQL, never run by DuckDB. */
  | { type: 'foreign_sql'; dialect: 'postgres' }
  /** A column (or list of columns) of input `input` (0-based, in input order). */
  | { type: 'column'; input: number }
  /** A column of the node that the sibling field `of` names (a relationship rule's `field`, of `to`). */
  | { type: 'column'; of: string }
  /** The name of another node, which must also be an input of this one (a relationship rule's `to`). */
  | { type: 'node' }
  /** A path the node reads or writes: inside the workspace, or under a connection's root. */
  | { type: 'path'; root: 'workspace' | 'connection'; access: 'read' | 'write' }
  /** The name of a connection of the run's environment, of a kind the definition accepts. */
  | { type: 'connection' }
  /** A DuckDB type name, such as DOUBLE or DECIMAL(10, 2). */
  | { type: 'duckdb_type' };

export type FieldRoleType = FieldRole['type'];

type Leaf = string | number | boolean | bigint | symbol | null | undefined;
/** Recursion budget: configs nest a few levels; the limit keeps the checker fast. */
type Budget = [never, 0, 1, 2, 3, 4];

/**
 * Every role path of a config type (`key`, `key.sub`, `list[].key`), so that a definition
 * naming a field its config does not have does not compile. Union item types (a check's
 * rule variants) give the paths of every variant.
 */
export type FieldPath<T, D extends number = 5> = [D] extends [never]
  ? never
  : T extends Leaf
    ? never
    : T extends readonly unknown[]
      ? never
      : { [K in keyof T & string]-?: K | NestedPath<K, NonNullable<T[K]>, Budget[D]> }[keyof T & string];

type NestedPath<K extends string, V, D extends number> = V extends readonly (infer I)[]
  ? `${K}[].${FieldPath<NonNullable<I>, D>}`
  : V extends Leaf
    ? never
    : `${K}.${FieldPath<V, D>}`;

/** A kind's declared roles, by field path; of any kind (config unknown), roles by any path. */
export type FieldRoles<C> = unknown extends C ? Readonly<Record<string, FieldRole | undefined>> : { readonly [P in FieldPath<C>]?: FieldRole };

/** One place in a config that a role path names. */
export interface RoleField {
  /** The role path it matched (`rules[].where`). */
  pattern: string;
  role: FieldRole;
  /** Where it sits inside the config: `['rules', 2, 'where']`. */
  path: (string | number)[];
  value: unknown;
}

interface Step {
  key: string;
  each: boolean;
}

function steps(pattern: string): Step[] {
  return pattern.split('.').map((part) => (part.endsWith('[]') ? { key: part.slice(0, -2), each: true } : { key: part, each: false }));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function collect(value: unknown, rest: readonly Step[], at: (string | number)[], out: { path: (string | number)[]; value: unknown }[]): void {
  const [step, ...more] = rest;
  if (!step) {
    if (value !== undefined) out.push({ path: at, value });
    return;
  }
  if (!isObject(value) || !Object.hasOwn(value, step.key)) return;
  const next = value[step.key];
  if (!step.each) return collect(next, more, [...at, step.key], out);
  if (Array.isArray(next)) next.forEach((item, i) => collect(item, more, [...at, step.key, i], out));
}

/**
 * Orders matches as the config reads: by position, and where two differ at a field name (two
 * fields of one rule), in the order the roles are declared (`where` before `expression`).
 */
function compareFields(a: RoleField & { order: number }, b: RoleField & { order: number }): number {
  const n = Math.min(a.path.length, b.path.length);
  for (let i = 0; i < n; i++) {
    const x = a.path[i]!;
    const y = b.path[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return a.order - b.order;
  }
  return a.path.length - b.path.length || a.order - b.order;
}

/**
 * The fields of `config` (raw as in a file, or parsed) that have a role `pick` accepts, in the
 * order the config reads. Absent fields are skipped; shapes that do not fit (a string where a
 * list was declared) are skipped too, so this never throws on a config being edited.
 */
export function roleFields(roles: Readonly<Record<string, FieldRole | undefined>>, config: unknown, pick: (role: FieldRole) => boolean = () => true): RoleField[] {
  const found: (RoleField & { order: number })[] = [];
  Object.entries(roles).forEach(([pattern, role], order) => {
    if (!role || !pick(role)) return;
    const out: { path: (string | number)[]; value: unknown }[] = [];
    collect(config, steps(pattern), [], out);
    for (const f of out) found.push({ pattern, role, path: f.path, value: f.value, order });
  });
  return found.sort(compareFields).map(({ order: _order, ...f }) => f);
}

function rewrite(value: unknown, rest: readonly Step[], fn: (v: unknown) => unknown): unknown {
  const [step, ...more] = rest;
  if (!step) return value === undefined ? value : fn(value);
  if (!isObject(value) || !Object.hasOwn(value, step.key)) return value;
  const before = value[step.key];
  let after: unknown;
  if (!step.each) after = rewrite(before, more, fn);
  else if (Array.isArray(before)) {
    const items = before.map((item) => rewrite(item, more, fn));
    after = items.some((x, i) => x !== before[i]) ? items : before;
  } else after = before;
  return after === before ? value : { ...value, [step.key]: after };
}

/**
 * `config` with every field of a role `pick` accepts replaced by `fn(value, role)`; untouched
 * objects are kept (the same config object when nothing changed), so edits stay cheap to compare.
 */
export function mapRoleFields<T>(
  roles: Readonly<Record<string, FieldRole | undefined>>,
  config: T,
  pick: (role: FieldRole) => boolean,
  fn: (value: unknown, role: FieldRole) => unknown,
): T {
  let out: unknown = config;
  for (const [pattern, role] of Object.entries(roles)) {
    if (!role || !pick(role)) continue;
    out = rewrite(out, steps(pattern), (v) => fn(v, role));
  }
  return out as T;
}

/** SQL text from a field's value: a string, or lines joined; null for any other shape. */
export function sqlTextOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((l) => typeof l === 'string')) return value.join('\n');
  return null;
}

/** Whether a role path names a top-level field (`sql`, `condition`), not one inside a list or object. */
export function isTopLevel(pattern: string): boolean {
  return !pattern.includes('.') && !pattern.endsWith('[]');
}
