/**
 * Join keys suggested from the two inputs' columns: the names they share (compared as DuckDB
 * compares names, ignoring case) whose types can be compared without a surprise. Pure, so the
 * rule is tested apart from the form that offers it.
 */

export interface KeyColumn {
  name: string;
  /** DuckDB's type name, as DESCRIBE gives it (`BIGINT`, `DECIMAL(10,2)`, `VARCHAR`). */
  type: string;
}

export interface KeyPair {
  left: string;
  right: string;
}

export interface KeySuggestion {
  /** Every shared column of compatible types, in the left input's order: offered to pick from. */
  common: KeyPair[];
  /** What an empty key list is filled with: the shared key columns, or nothing when it is not clear which. */
  key: KeyPair[];
}

const FAMILIES: [RegExp, string][] = [
  [/^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|INT\d*|LONG|SHORT)$/, 'integer'],
  [/^(FLOAT\d*|DOUBLE|REAL|DECIMAL|NUMERIC)$/, 'number'],
  [/^(VARCHAR|TEXT|STRING|CHAR|BPCHAR|NAME)$/, 'text'],
  [/^TIMESTAMP/, 'timestamp'],
  [/^DATE$/, 'date'],
  [/^(BOOLEAN|BOOL|LOGICAL)$/, 'boolean'],
];

/** The family of a type: types of one family compare as values (an INTEGER key matches a BIGINT one). */
export function typeFamily(type: string): string {
  const base = type.trim().toUpperCase().replace(/\s*\(.*$/, '');
  if (/\]$/.test(type.trim())) return `list:${type.trim().toUpperCase()}`;
  for (const [re, family] of FAMILIES) if (re.test(base)) return family;
  return base;
}

/** Whether a column of type `a` can be matched on one of type `b` without a cast the user did not ask for. */
export function comparableTypes(a: string, b: string): boolean {
  const fa = typeFamily(a);
  const fb = typeFamily(b);
  if (fa === fb) return true;
  // Whole numbers and decimals compare as numbers.
  const numeric = new Set(['integer', 'number']);
  return numeric.has(fa) && numeric.has(fb);
}

/** Names that read as keys: `id`, `batch_id`, `batchId`, `lot_key`, `site_code`. */
const isKeyName = (name: string): boolean => /(^id$|_id$|^key$|_key$|^code$|_code$)/i.test(name) || /[a-z]Id$/.test(name);

/**
 * The shared columns, and the key: the shared columns named like keys where there are any
 * (`batch_id`, not `site` and `batch_id` both), else the one shared column when there is only
 * one; otherwise none (the user picks).
 */
export function suggestJoinKeys(left: readonly KeyColumn[], right: readonly KeyColumn[]): KeySuggestion {
  const common: KeyPair[] = [];
  for (const l of left) {
    const r = right.find((c) => c.name.toLowerCase() === l.name.toLowerCase());
    if (r && comparableTypes(l.type, r.type)) common.push({ left: l.name, right: r.name });
  }
  const keyish = common.filter((p) => isKeyName(p.left));
  const key = keyish.length ? keyish : common.length === 1 ? common : [];
  return { common, key };
}
