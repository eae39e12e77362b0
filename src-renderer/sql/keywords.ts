/**
 * DuckDB's SQL words, for highlighting and completion. The keyword list is what an analyst
 * types in a SELECT; the long tail of DDL words is left out so that completion stays short.
 * Which names must be quoted (DuckDB's reserved words) lives in shared/, next to the
 * renames and generated SQL that need the same list.
 */
export { RESERVED_WORDS, sqlName } from '../../shared/sql/names';

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
