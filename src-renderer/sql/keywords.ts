/**
 * DuckDB's SQL words, for highlighting and completion. The reserved and "type or function"
 * lists are DuckDB's own (`duckdb_keywords()`): a column or table of such a name must be
 * written quoted. The keyword list is what an analyst types in a SELECT; the long tail of
 * DDL words is left out so that completion stays short.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create default ' +
    'deferrable desc describe distinct do else end except false fetch for foreign from group having in initially ' +
    'intersect into lambda lateral leading limit not null offset on only or order pivot pivot_longer pivot_wider placing ' +
    'primary qualify references returning select show some summarize symmetric table then to trailing true union unique ' +
    'unpivot using variadic when where window with ' +
    // type_function: usable as a type or function name, not as a bare column name
    'anti asof at authorization binary by collation columns concurrently cross freeze full generated glob ilike inner is ' +
    'isnull join left like map natural notnull outer overlaps positional right semi similar struct tablesample try_cast ' +
    'unpack verbose'
  ).split(' '),
);

/** What completion offers as keywords (upper case here; inserted in the case the user types). */
export const SQL_KEYWORDS: readonly string[] = (
  'SELECT FROM WHERE GROUP BY ORDER HAVING QUALIFY WINDOW LIMIT OFFSET AS DISTINCT ON ALL ' +
  'JOIN INNER LEFT RIGHT FULL OUTER CROSS NATURAL SEMI ANTI ASOF POSITIONAL LATERAL USING ' +
  'UNION INTERSECT EXCEPT BY NAME WITH RECURSIVE MATERIALIZED ' +
  'AND OR NOT IN IS NULL TRUE FALSE BETWEEN LIKE ILIKE GLOB SIMILAR TO EXISTS ANY SOME ' +
  'CASE WHEN THEN ELSE END CAST TRY_CAST INTERVAL ' +
  'OVER PARTITION ROWS RANGE GROUPS PRECEDING FOLLOWING UNBOUNDED CURRENT ROW FILTER ' +
  'ASC DESC NULLS FIRST LAST EXCLUDE REPLACE RENAME COLUMNS ' +
  'PIVOT UNPIVOT SUMMARIZE DESCRIBE TABLE VALUES SAMPLE TABLESAMPLE USING ' +
  'GROUPING SETS CUBE ROLLUP ' +
  'BOOLEAN TINYINT SMALLINT INTEGER BIGINT HUGEINT UTINYINT USMALLINT UINTEGER UBIGINT FLOAT DOUBLE DECIMAL ' +
  'VARCHAR BLOB DATE TIME TIMESTAMP TIMESTAMPTZ UUID JSON STRUCT MAP LIST'
)
  .split(' ')
  .filter((w, i, all) => all.indexOf(w) === i);

/** Words highlighted as keywords beyond the completion list (statements, DDL). */
export const EXTRA_HIGHLIGHT_WORDS: readonly string[] = (
  'CREATE REPLACE VIEW TEMP TEMPORARY INSERT INTO UPDATE SET DELETE COPY ATTACH DETACH ' +
  'PRAGMA INSTALL LOAD EXPLAIN ANALYZE RETURNING DEFAULT PRIMARY KEY UNIQUE CHECK REFERENCES ' +
  'COLLATE ESCAPE AT ZONE LAMBDA MACRO FUNCTION ARRAY UNNEST STRICT'
).split(' ');

/** A name as SQL must spell it: bare where DuckDB allows it, double-quoted otherwise. */
export function sqlName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED_WORDS.has(name.toLowerCase()) ? name : `"${name.replace(/"/g, '""')}"`;
}
