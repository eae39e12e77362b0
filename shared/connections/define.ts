import { z } from 'zod';
import { fieldShape, type FieldShape } from './schema-fields';

/**
 * One connection kind of weir.workspace.json, defined once: its schema, what the designer's
 * form shows, which fields are secrets and which say where a server is. Both sides read it:
 * the workspace schema (shared/workspace/schema.ts), the connections API, the form and the
 * engine's masking. How the engine tests and opens it is its engine half,
 * `src-main/engine/connections/<kind>/`, typed against this definition.
 */

/** The fields of a kind's schema besides `kind`. */
export type FieldOf<S extends z.ZodObject> = Exclude<Extract<keyof S['shape'], string>, 'kind'>;

/**
 * How a field that says where a server is may be shown. `value`: the whole value stays
 * visible in messages and records (a PostgreSQL host and port: sent in clear on every
 * connection, and no message could say which server failed without them). `origin`: the value
 * is masked as every resolved value is, but a URL's origin (scheme, host, port) stays visible
 * (secrets/forms.ts), so only its path, query and user info are hidden.
 */
export type Location = 'value' | 'origin';

/** What the form shows for one field, in the order the form lists them. How it is edited comes from the schema. */
export interface FieldHint<F extends string = string> {
  key: F;
  label: string;
  placeholder?: string;
  help?: string;
  /** A select's label for "not set" (an optional enum). */
  emptyOption?: string;
}

/**
 * A record field whose entries carry a credential when their name matches (HTTP headers such
 * as Authorization): such an entry must be a `${env:NAME}` reference, and the form keeps it in
 * the keychain. Entries the form lists one per row.
 */
export interface SecretEntries<F extends string = string> {
  field: F;
  /** What one entry is called in messages ("header"). */
  noun: string;
  names: RegExp;
  /** The form's heading for the entries, and a placeholder for an entry's name. */
  label: string;
  placeholder?: string;
}

export interface ConnectionKindInit<K extends string, S extends z.ZodObject> {
  /** The name in weir.workspace.json (`"kind": "s3"`): never changed once released. */
  kind: K;
  label: string;
  /** As files hold it: a strict object whose `kind` is the literal above. The file writes fields in its order. */
  schema: S;
  /** The form's fields, in the order it shows them. A field left out is kept as the file has it (part sizes). */
  form: readonly FieldHint<FieldOf<S>>[];
  /** Fields that hold credentials: only `${env:NAME}` in the file (the designer keeps the value in the keychain). */
  secrets?: readonly FieldOf<S>[];
  secretEntries?: SecretEntries<FieldOf<S>>;
  /** Fields that say where a server is (see Location); every other resolved value is masked whole. */
  locations?: Partial<Record<FieldOf<S>, Location>>;
  /** One line saying where a connection points, from the spec as written (not validated). */
  describe(spec: Readonly<Record<string, unknown>>): string;
}

/** How the form edits a field: read from the schema, `secret` from the kind's secrets. */
export type FormInput = 'text' | 'number' | 'bool' | 'select' | 'secret';

export interface FormField extends FieldHint {
  input: FormInput;
  /** The file must give it (no default, not optional). */
  required: boolean;
  /** A select's values ('' first when the field may be left out). */
  options?: readonly string[];
  /** The schema's default, shown by the form when the file leaves the field out. */
  default?: unknown;
}

export interface ConnectionKind<K extends string = string, S extends z.ZodObject = z.ZodObject> {
  kind: K;
  label: string;
  schema: S;
  /** The order weir.workspace.json writes a connection's fields in: the schema's. */
  fileOrder: readonly string[];
  form: readonly FormField[];
  secrets: readonly string[];
  secretEntries: SecretEntries | null;
  locations: Readonly<Record<string, Location>>;
  /** What the schema fills in for fields a file leaves out. */
  defaults: Readonly<Record<string, unknown>>;
  describe(spec: Readonly<Record<string, unknown>>): string;
}

/** The spec type a kind's schema parses to (defaults filled in). */
export type SpecOf<D extends ConnectionKind> = z.output<D['schema']>;

const KIND_NAME = /^[a-z][a-z0-9_]*$/;

/** How the form edits a field of each schema type (a secret, whatever its type, as a secret). */
const INPUT_OF: Partial<Record<FieldShape['base'], FormInput>> = { string: 'text', number: 'number', boolean: 'bool', enum: 'select' };

/** Defines a connection kind. Throws at load on a definition that cannot be right. */
export function defineConnectionKind<const K extends string, S extends z.ZodObject>(init: ConnectionKindInit<K, S>): ConnectionKind<K, S> {
  const fail = (why: string): never => {
    throw new Error(`connection kind "${init.kind}": ${why}`);
  };
  if (!KIND_NAME.test(init.kind)) fail('expected a lower-case name');
  const shape = init.schema.shape as Record<string, z.ZodType>;
  const literal = shape.kind;
  if (!(literal instanceof z.ZodLiteral) || literal.values.size !== 1 || !literal.values.has(init.kind)) fail('its schema must have `kind: z.literal(kind)`');
  const fields = Object.keys(shape).filter((k) => k !== 'kind');
  const known = (what: string, keys: readonly string[]) => {
    for (const k of keys) if (!fields.includes(k)) fail(`${what} "${k}" is not a field of its schema`);
  };
  const secrets: readonly string[] = init.secrets ?? [];
  const locations: Record<string, Location> = { ...(init.locations as Record<string, Location> | undefined) };
  known('form field', init.form.map((f) => f.key));
  known('secret', secrets);
  known('location', Object.keys(locations));
  if (init.secretEntries) known('secret entries', [init.secretEntries.field]);
  if (new Set(init.form.map((f) => f.key)).size !== init.form.length) fail('a form field is listed twice');
  for (const s of secrets) {
    if (locations[s]) fail(`"${s}" cannot be both a secret and a location`);
    if (fieldShape(shape[s]!).base !== 'string') fail(`secret "${s}" must be a string (a \${env:NAME} reference)`);
    // The designer stores a secret in the keychain from the form: a secret it cannot show could only be written in clear.
    if (!init.form.some((f) => f.key === s)) fail(`secret "${s}" must be a form field`);
  }
  const form = init.form.map((hint): FormField => {
    const f = fieldShape(shape[hint.key]!);
    const input = secrets.includes(hint.key) ? 'secret' : (INPUT_OF[f.base] ?? fail(`form field "${hint.key}" is neither text, number, boolean nor enum`));
    return {
      ...hint,
      input,
      required: !f.optional,
      ...(f.options ? { options: f.optional ? ['', ...f.options] : f.options } : {}),
      ...(f.default !== undefined ? { default: f.default } : {}),
    };
  });
  const defaults = Object.fromEntries(fields.flatMap((k) => (fieldShape(shape[k]!).default === undefined ? [] : [[k, fieldShape(shape[k]!).default]])));
  return {
    kind: init.kind,
    label: init.label,
    schema: init.schema,
    fileOrder: Object.keys(shape),
    form,
    secrets,
    secretEntries: init.secretEntries ?? null,
    locations,
    defaults,
    describe: init.describe,
  };
}
