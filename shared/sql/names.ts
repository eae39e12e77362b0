/**
 * When a name must be written quoted in DuckDB SQL. The reserved and "type or function"
 * lists are DuckDB's own (`duckdb_keywords()`, categories `reserved` and `type_function`):
 * a table or column of such a name is a parser error unless double-quoted. One list for the
 * editor's completion, node renames and the SQL the low-code kinds generate.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create default ' +
    'deferrable desc describe distinct do else end except false fetch for foreign from group having in initially ' +
    'intersect into lambda lateral leading limit not null offset on only or order pivot pivot_longer pivot_wider placing ' +
    'primary qualify references returning select show some summarize symmetric table then to trailing true union unique ' +
    'unpivot using variadic when where window with ' +
    // type_function: usable as a type or function name, not as a bare table or column name
    'anti asof at authorization binary by collation columns concurrently cross freeze full generated glob ilike inner is ' +
    'isnull join left like map natural notnull outer overlaps positional right semi similar struct tablesample try_cast ' +
    'unpack verbose'
  ).split(' '),
);

/** A name as SQL must spell it: bare where DuckDB allows it, double-quoted otherwise. */
export function sqlName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED_WORDS.has(name.toLowerCase()) ? name : `"${name.replace(/"/g, '""')}"`;
}
