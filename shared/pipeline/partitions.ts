import { z } from 'zod';
import { identifier } from '../nodes/common';

/**
 * How one source node's rows split into lots (docs/lots.md):
 * - `path`: a file_source's files, a workspace path template holding `{<key>}` once
 *   (`data/lots/{batch_id}/assays.csv`); the lot's value comes from the matched path.
 * - `hive`: a lake_source's objects in `<key>=<value>/` folders directly under its prefix.
 * - `column`: a source whose files hold every lot (an unsplit export): each lot reads it whole and
 *   keeps its own rows, and every lot's fingerprint carries the whole source, so a change to it
 *   makes every lot "changed".
 */
export const partitionSource = z.union([
  z.strictObject({ path: z.string().min(1) }),
  z.strictObject({ hive: z.literal(true) }),
  z.strictObject({ column: z.string().min(1).max(63) }),
]);
export type PartitionSource = z.infer<typeof partitionSource>;

export const partitionsSpec = z.strictObject({
  /** The lot's name, e.g. `batch_id`: SQL reads the lot's value with getvariable('batch_id'). */
  key: identifier,
  /** Per source node id: how its lots appear. Sources not named here are read whole by every lot. */
  sources: z.record(z.string(), partitionSource),
});
export type PartitionsSpec = z.infer<typeof partitionsSpec>;

/**
 * A lot's value is used in paths, object keys and SQL values: letters, digits, `.`, `_`, `-`,
 * starting with a letter or digit, at most 128 characters, never `..`. Values that do not fit are
 * not lots (discovery reports them and skips them).
 */
const LOT_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export function isLotKey(value: string): boolean {
  return LOT_KEY.test(value) && !value.includes('..');
}

/** The placeholder a `path` template holds: `{batch_id}`. */
export function lotPlaceholder(key: string): string {
  return `{${key}}`;
}

/** The template with the lot's value put in (every placeholder). */
export function lotPath(template: string, key: string, value: string): string {
  return template.split(lotPlaceholder(key)).join(value);
}

/**
 * The worker (0 .. count-1) that takes a lot under `--shard I/N`: FNV-1a (32 bit) of the lot's
 * value in UTF-8, modulo N. Stable across machines, processes and releases, and independent of
 * which other lots exist, so a lot never moves between workers as lots arrive.
 */
export function shardOf(value: string, count: number): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(value)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % count;
}

/** `I/N` as given to `--shard`: 0-based I below N. */
export function parseShard(text: string): { index: number; count: number } | null {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index < count ? { index, count } : null;
}
