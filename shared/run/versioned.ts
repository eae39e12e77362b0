import type { z } from 'zod';
import { WeirError, jsonPath } from '../errors';

type Json = Record<string, unknown>;

/** One step of a stored format's chain, from one version to the next (as shared/pipeline/migrations.ts). */
export interface Migration {
  from: number;
  to: number;
  describe: string;
  migrate: (doc: Json) => Json;
}

/** A stored JSON format with its `format` tag and integer `version`, read through its migrations. */
export interface StoredFormat<T> {
  format: string;
  /** What a person calls it, in messages: "run record". */
  what: string;
  /** The newest version this build reads and writes. */
  version: number;
  schema: z.ZodType<T>;
  migrations: readonly Migration[];
}

export interface ReadStored<T> {
  value: T;
  /** The version it was stored in, when older than this build's (migrated for display). */
  migratedFrom: number | null;
}

/** A stored value quoted for a one-line message, cut short: a foreign file may hold anything. */
export function quoteStored(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

/**
 * Reads a stored document of a versioned format: format and version checked (a newer version
 * refused with what to do), an older one migrated, then the schema. The input is never
 * changed: migrations work on a copy, since what is stored (and hashed) must stay as it is.
 * Throws a one-line `invalid` WeirError naming the JSON path.
 */
export function readStored<T>(spec: StoredFormat<T>, raw: unknown): ReadStored<T> {
  const fail = (message: string): never => {
    // Zod quotes unknown keys, and a foreign file's keys may be of any length.
    throw new WeirError('invalid', message.length > 300 ? `${message.slice(0, 297)}...` : message);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail(`not a Weir ${spec.what}: expected a JSON object, got ${describeJson(raw)}`);
  const doc = raw as Json;
  if (doc.format !== spec.format) {
    const got = doc.format === undefined ? 'no "format" field' : `"format": ${quoteStored(doc.format)}`;
    fail(`not a Weir ${spec.what}: ${got} (expected "${spec.format}")`);
  }
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) fail(`${spec.what} version: expected an integer, got ${version === undefined ? 'nothing' : quoteStored(version)}`);
  const v = version as number;
  if (v > spec.version) {
    fail(`written by a newer Weir (${spec.what} version ${v}); this Weir reads versions up to ${spec.version}. Upgrade Weir to read it.`);
  }
  let current = doc;
  if (v < spec.version) {
    current = structuredClone(doc);
    for (let at = v; at < spec.version; ) {
      const step = spec.migrations.find((m) => m.from === at);
      if (!step) return fail(`${spec.what} version ${v}: no migration from version ${at}`);
      current = step.migrate(current);
      at = step.to;
    }
  }
  const parsed = spec.schema.safeParse(current);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
    const at = jsonPath(first.path);
    fail(`not a valid ${spec.what}${v < spec.version ? ` (migrated from version ${v})` : ''}: ${at ? `${at}: ` : ''}${first.message}${more}`);
  }
  return { value: (parsed as { data: T }).data, migratedFrom: v < spec.version ? v : null };
}
