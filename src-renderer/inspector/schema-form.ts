import { z } from 'zod';
import type { FieldRole } from '../../shared/nodes/field-roles';
import type { FormNeeds } from '../../shared/nodes/form-needs';
import { nodeKindSpecs } from '../../shared/nodes/registry';

/**
 * A form description compiled from a node kind's zod config schema (through its JSON
 * Schema), so that every kind in the registry gets a validated form without a line of UI
 * code. A kind may still bring its own form (see forms.ts).
 */
export type Scalar = 'string' | 'number' | 'integer' | 'boolean' | 'null';

export interface ObjectField {
  key: string;
  label: string;
  required: boolean;
  description?: string;
  /** The value the engine uses when the field is left out. */
  default?: unknown;
  spec: FieldSpec;
}

export type FieldSpec =
  | { kind: 'text'; multiline: boolean }
  | { kind: 'number'; integer: boolean }
  | { kind: 'boolean' }
  | { kind: 'enum'; options: string[] }
  | { kind: 'const'; value: unknown }
  | { kind: 'scalar'; types: Scalar[] }
  | { kind: 'lines'; item: FieldSpec; sql: boolean }
  | { kind: 'object'; fields: ObjectField[] }
  | { kind: 'list'; item: FieldSpec }
  | { kind: 'variant'; discriminator: string; options: { value: string; spec: Extract<FieldSpec, { kind: 'object' }> }[] }
  | { kind: 'json' };

type Js = Record<string, unknown>;
/** A kind's declared field roles by path (`rules[].sql`): which fields are SQL decides their widget. */
type Roles = Readonly<Record<string, FieldRole | undefined>>;

const at = (path: string, key: string) => (path ? `${path}.${key}` : key);

function isSql(role: FieldRole | undefined): boolean {
  return role?.type === 'sql' || role?.type === 'foreign_sql';
}

const ACRONYMS = new Set(['sql', 'csv', 'url', 'id', 'json', 'http', 's3', 'api']);

export function humanize(key: string): string {
  const words = key.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(' ');
  const s = words.map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w)).join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function typesOf(s: Js): string[] {
  if (Array.isArray(s.type)) return s.type as string[];
  if (typeof s.type === 'string') return [s.type];
  const alts = (s.anyOf ?? s.oneOf) as Js[] | undefined;
  if (alts && alts.every((a) => typeof a.type === 'string' && !['object', 'array'].includes(a.type as string) && a.const === undefined && !a.enum)) {
    return alts.map((a) => a.type as string);
  }
  return [];
}

const SCALARS = new Set(['string', 'number', 'integer', 'boolean', 'null']);

function compileObject(s: Js, roles: Roles, path: string): Extract<FieldSpec, { kind: 'object' }> {
  const props = (s.properties ?? {}) as Record<string, Js>;
  const required = new Set((s.required ?? []) as string[]);
  return {
    kind: 'object',
    fields: Object.entries(props).map(([key, p]) => ({
      key,
      label: humanize(key),
      required: required.has(key),
      ...(typeof p.description === 'string' ? { description: p.description } : {}),
      ...(p.default !== undefined ? { default: p.default } : {}),
      spec: compile(p, key, roles, at(path, key)),
    })),
  };
}

/** `path` is the field's role path (`rules[].sql`); its declared role, not its name, says whether it holds SQL. */
export function compile(s: Js, key?: string, roles: Roles = {}, path = key ?? ''): FieldSpec {
  if (s.const !== undefined) return { kind: 'const', value: s.const };
  if (Array.isArray(s.enum) && s.enum.every((x) => typeof x === 'string')) return { kind: 'enum', options: s.enum as string[] };
  const alts = (s.oneOf ?? s.anyOf) as Js[] | undefined;
  if (alts && alts.length && alts.every((a) => a.type === 'object')) {
    const first = alts[0]!.properties as Record<string, Js> | undefined;
    const disc = Object.keys(first ?? {}).find((k) => alts.every((a) => (a.properties as Record<string, Js> | undefined)?.[k]?.const !== undefined));
    if (disc) {
      return {
        kind: 'variant',
        discriminator: disc,
        options: alts.map((a) => ({ value: String((a.properties as Record<string, Js>)[disc]!.const), spec: compileObject(a, roles, path) })),
      };
    }
  }
  const types = typesOf(s);
  if (types.length > 1 && types.every((t) => SCALARS.has(t))) return { kind: 'scalar', types: types as Scalar[] };
  const t = types[0];
  if (t === 'string') return { kind: 'text', multiline: key === 'description' };
  if (t === 'number' || t === 'integer') return { kind: 'number', integer: t === 'integer' };
  if (t === 'boolean') return { kind: 'boolean' };
  if (t === 'object' && s.properties) return compileObject(s, roles, path);
  if (t === 'array' && s.items && typeof s.items === 'object') {
    const item = compile(s.items as Js, undefined, roles, `${path}[]`);
    if (item.kind === 'text' || item.kind === 'scalar' || item.kind === 'number') return { kind: 'lines', item, sql: isSql(roles[path]) };
    if (item.kind === 'object' || item.kind === 'variant') return { kind: 'list', item };
  }
  return { kind: 'json' };
}

const cache = new WeakMap<z.ZodType, FieldSpec>();

/** The roles of the kind whose config `schema` is; none for a schema of no kind. */
function rolesOf(schema: z.ZodType): Roles {
  return nodeKindSpecs.find((k) => k.config === schema)?.fields ?? {};
}

/** The field needs the kind of config `schema` declares (which fields a function or a format uses). */
export function formNeedsOf(schema: z.ZodType): FormNeeds | undefined {
  return nodeKindSpecs.find((k) => k.config === schema)?.form?.needs;
}

/** The form of a config schema; a kind's schema gets the widgets its declared field roles ask for. */
export function formFor(schema: z.ZodType): FieldSpec {
  let spec = cache.get(schema);
  if (!spec) {
    try {
      spec = compile(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Js, undefined, rolesOf(schema));
    } catch {
      spec = { kind: 'json' };
    }
    cache.set(schema, spec);
  }
  return spec;
}

/** A starting value for a new list item or a newly chosen variant. */
export function initialValue(spec: FieldSpec): unknown {
  switch (spec.kind) {
    case 'text':
      return '';
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'enum':
      return spec.options[0];
    case 'const':
      return spec.value;
    case 'scalar':
      return spec.types.includes('string') ? '' : 0;
    case 'lines':
      return [];
    case 'list':
      return [];
    case 'json':
      return null;
    case 'object':
      return Object.fromEntries(spec.fields.filter((f) => f.required).map((f) => [f.key, initialValue(f.spec)]));
    case 'variant': {
      const first = spec.options[0];
      return first ? { ...(initialValue(first.spec) as object), [spec.discriminator]: first.value } : {};
    }
  }
}

/** Text typed into a field of several scalar types, read as the first type it fits. */
export function parseScalar(text: string, types: readonly Scalar[]): unknown {
  const t = text.trim();
  if (t === '' && !types.includes('string')) return undefined;
  if (t === 'null' && types.includes('null')) return null;
  if ((t === 'true' || t === 'false') && types.includes('boolean')) return t === 'true';
  if ((types.includes('number') || types.includes('integer')) && t !== '' && Number.isFinite(Number(t))) {
    const n = Number(t);
    if (types.includes('number') || Number.isInteger(n)) return n;
  }
  return types.includes('string') ? text : undefined;
}

export function scalarText(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  return String(v);
}

/** zod issues keyed by their path (`rules.0.column`), for the fields to show. */
export function issuesByPath(schema: z.ZodType, value: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const r = schema.safeParse(value);
  if (r.success) return out;
  for (const i of r.error.issues) {
    const key = i.path.map(String).join('.');
    out.set(key, [...(out.get(key) ?? []), i.message]);
  }
  return out;
}
