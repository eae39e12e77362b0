/**
 * JSON with object keys sorted at every level and no whitespace: the one byte form of a
 * value, so that its hash does not depend on key order and a re-serialised entry can be
 * compared byte for byte with the line on disk. The one implementation: audit hashes, cache
 * keys and the semantic diff's equality all use it, so none may change its output.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    // undefined, functions and symbols have no JSON form; JSON.stringify drops them from objects too.
    return s === undefined ? 'null' : s;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function')
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
