import type { DuckDBConnection } from '@duckdb/node-api';
import { tokenizeSql } from '../../../shared/pipeline/sql-tokens';
import { GENERATOR_TABLE_FUNCTIONS, REFUSED_SCALAR_FUNCTIONS } from '../../../shared/sql/sandbox-functions';
import { literal } from '../duckdb/sql';

/**
 * The sandbox's decision on one piece of SQL from a pipeline file, made by DuckDB's own
 * parser (`json_serialize_sql`, which serializes SELECT statements only) and a walk of the
 * tree it returns, never by pattern matching on the text:
 * - exactly one statement, and it is a query (SELECT, FROM-first, VALUES, set operations, WITH);
 * - every table it reads is a CTE of its own or one of the names it is allowed (the node's
 *   inputs), unqualified: no catalog, no schema, no file path given as a table;
 * - the only table functions are generators (range, generate_series, unnest): files enter
 *   through source nodes, so read_csv, read_text, glob, query_table and the like are refused;
 * - no scalar function that reads the engine's configuration.
 * The same walk lists the parameters the SQL reads (`getvariable('name')`), so a node's cache
 * key can depend on those alone.
 */

/** Table functions that produce rows from their arguments alone (one list with the editor's completion). */
const GENERATORS = GENERATOR_TABLE_FUNCTIONS;
/** Scalar functions that would show the engine's setup (folders, limits) to a pipeline. */
const REFUSED_FUNCTIONS = REFUSED_SCALAR_FUNCTIONS;

export interface GuardProblem {
  message: string;
  /** Character offset in the text checked, when DuckDB gave one. */
  offset?: number;
}

export interface GuardResult {
  problems: GuardProblem[];
  /** Input names the SQL reads (lower case), CTEs excluded. */
  reads: string[];
  /** Parameters read with `getvariable('name')`; null when a name is computed (then: all). */
  variables: string[] | null;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first keyword of a statement, for a message ("COPY"); the parser already decided it is not a query. */
function firstKeyword(sql: string): string {
  const word = tokenizeSql(sql).find((t) => t.kind !== 'space' && t.kind !== 'comment');
  return word?.kind === 'word' ? word.text.toUpperCase() : 'non-query';
}

async function serialize(conn: DuckDBConnection, sql: string): Promise<JsonObject> {
  const reader = await conn.runAndReadAll(`SELECT json_serialize_sql(${literal(sql)}) AS j`);
  const text = reader.getRows()[0]?.[0];
  return JSON.parse(String(text)) as JsonObject;
}

/** What the parser is given for a piece of SQL: an expression goes inside a one-item SELECT list. */
export function guardedText(sql: string, form: 'query' | 'expression'): string {
  return form === 'expression' ? `SELECT (\n${sql}\n)` : sql;
}

/** DuckDB's parse trees of texts (as `guardedText` gives them), made before the checks that read them. */
export type ParsedTexts = ReadonlyMap<string, JsonObject>;

/**
 * The parse trees of many texts in one query (per 250 texts): a round trip per text cost a run
 * more than the parsing did (two for every SQL field of the template). The parser reports a
 * text it refuses in its tree, so one bad text does not fail the others; should a whole query
 * fail anyway, its texts are left out and `guardSql` parses each on its own, as before.
 */
export async function parseTexts(conn: DuckDBConnection, texts: Iterable<string>): Promise<ParsedTexts> {
  const unique = [...new Set(texts)];
  const trees = new Map<string, JsonObject>();
  // In queries of a bounded number of texts: a hostile file of 100,000 SQL nodes makes 400
  // queries of ordinary size, not one statement of megabytes.
  for (let at = 0; at < unique.length; at += PARSE_BATCH) {
    const batch = unique.slice(at, at + PARSE_BATCH);
    try {
      const values = batch.map((t, i) => `(${i}, ${literal(t)})`).join(', ');
      const reader = await conn.runAndReadAll(`SELECT i, json_serialize_sql(s) AS j FROM (VALUES ${values}) AS q(i, s) ORDER BY i`);
      for (const [i, j] of reader.getRows()) trees.set(batch[Number(i)]!, JSON.parse(String(j)) as JsonObject);
    } catch {
      // Left out: guardSql parses these texts one by one.
      for (const t of batch) trees.delete(t);
    }
  }
  return trees;
}

/** Texts parsed per query by `parseTexts`. */
const PARSE_BATCH = 250;

/**
 * Checks one query (`form: "query"`) or one expression (`form: "expression"`, checked as the
 * only item of a SELECT list: a condition, an aggregate, a value) against the sandbox rules.
 * `allowed` holds the names the SQL may read, in lower case; `parsed` may hold its tree already
 * (`parseTexts`), which is then not asked for again.
 */
export async function guardSql(
  conn: DuckDBConnection,
  sql: string,
  form: 'query' | 'expression',
  allowed: ReadonlySet<string>,
  parsed?: ParsedTexts,
): Promise<GuardResult> {
  const result: GuardResult = { problems: [], reads: [], variables: [] };
  const text = guardedText(sql, form);
  // An expression is moved one line down inside its wrapper; offsets are given back in its own text.
  const shift = form === 'expression' ? 'SELECT (\n'.length : 0;
  const tree = parsed?.get(text) ?? (await serialize(conn, text));
  if (tree.error === true) {
    const message = String(tree.error_message ?? 'cannot be parsed');
    if (/only select statements/i.test(message)) {
      const count = (await conn.extractStatements(text)).count;
      result.problems.push({
        message:
          count > 1
            ? `holds ${count} statements; it must be exactly one ${form === 'query' ? 'SELECT query' : 'expression'}`
            : form === 'query'
              ? `is a ${firstKeyword(sql)} statement; only a SELECT query may run here`
              : `is not one expression (it would make the generated query a ${firstKeyword(text)} statement)`,
      });
      // The PIVOT statement (`PIVOT t ON k USING ...`) is more than one statement for DuckDB (one finds the values).
      if (/\bpivot\b|\bunpivot\b/i.test(sql)) {
        result.problems[0]!.message += ' (a PIVOT statement cannot be checked: write it after FROM with its values listed, e.g. FROM t PIVOT (sum(v) FOR k IN (\'a\', \'b\')), as the pivot step does)';
      }
    } else {
      const at = Number(tree.position);
      result.problems.push({ message, ...(Number.isFinite(at) ? { offset: Math.max(0, at - shift) } : {}) });
    }
    return result;
  }
  const statements = Array.isArray(tree.statements) ? tree.statements : [];
  if (statements.length !== 1) {
    result.problems.push({
      message: statements.length === 0 ? 'is empty' : `holds ${statements.length} statements; it must be exactly one ${form === 'query' ? 'SELECT query' : 'expression'}`,
    });
    return result;
  }
  if (form === 'expression') {
    const node = isObject(statements[0]) && isObject(statements[0].node) ? statements[0].node : null;
    const list = node && Array.isArray(node.select_list) ? node.select_list : [];
    const plain = node?.type === 'SELECT_NODE' && list.length === 1 && node.from_table && isObject(node.from_table) && node.from_table.type === 'EMPTY';
    const extra = (k: string) => {
      const x = node?.[k];
      return Array.isArray(x) ? x.length > 0 : isObject(x) ? (k === 'cte_map' ? Array.isArray(x.map) && x.map.length > 0 : true) : false;
    };
    if (!plain || ['where_clause', 'group_expressions', 'having', 'qualify', 'modifiers', 'cte_map', 'sample'].some(extra)) {
      result.problems.push({ message: 'is not one expression: it changes the shape of the query it is placed in' });
      return result;
    }
  }
  walk(statements[0]!, new Set(), allowed, result, shift);
  result.reads = [...new Set(result.reads)];
  if (result.variables) result.variables = [...new Set(result.variables)].sort();
  return result;
}

/** CTE names a query node defines (visible to its own body, its CTEs and its subqueries). */
function cteNames(node: JsonObject): string[] {
  const names: string[] = [];
  const map = isObject(node.cte_map) && Array.isArray(node.cte_map.map) ? node.cte_map.map : [];
  for (const entry of map) if (isObject(entry) && typeof entry.key === 'string') names.push(entry.key.toLowerCase());
  if (node.type === 'RECURSIVE_CTE_NODE' && typeof node.ctename === 'string') names.push(node.ctename.toLowerCase());
  return names;
}

function at(node: JsonObject, shift: number): { offset?: number } {
  const loc = node.query_location;
  return typeof loc === 'number' && loc >= 0 && loc < 2 ** 53 ? { offset: Math.max(0, loc - shift) } : {};
}

// Iterative: a hostile file may nest subqueries deeper than the call stack allows.
function walk(root: Json, outer: ReadonlySet<string>, allowed: ReadonlySet<string>, r: GuardResult, shift: number): void {
  const stack: { v: Json; scope: ReadonlySet<string> }[] = [{ v: root, scope: outer }];
  while (stack.length) {
    const { v, scope: inherited } = stack.pop()!;
    if (Array.isArray(v)) {
      for (const x of v) stack.push({ v: x, scope: inherited });
      continue;
    }
    if (!isObject(v)) continue;
    let scope = inherited;
    const ctes = cteNames(v);
    if (ctes.length) scope = new Set([...inherited, ...ctes]);
    checkNode(v, scope, allowed, r, shift);
    for (const child of Object.values(v)) if (typeof child === 'object' && child !== null) stack.push({ v: child, scope });
  }
}

function checkNode(v: JsonObject, scope: ReadonlySet<string>, allowed: ReadonlySet<string>, r: GuardResult, shift: number): void {
  if (v.type === 'BASE_TABLE' && typeof v.table_name === 'string') {
    const name = v.table_name;
    const qualified = [v.catalog_name, v.schema_name].filter((x) => typeof x === 'string' && x !== '') as string[];
    if (qualified.length) {
      r.problems.push({ message: `reads ${[...qualified, name].join('.')}: refer to an input by its name alone`, ...at(v, shift) });
    } else if (scope.has(name.toLowerCase())) {
      // A CTE of the query itself.
    } else if (allowed.has(name.toLowerCase())) {
      r.reads.push(name.toLowerCase());
    } else if (/[./\\:]/.test(name)) {
      r.problems.push({ message: `reads the file "${name}": files enter through a source node (file_source, lake_source)`, ...at(v, shift) });
    } else {
      r.problems.push({ message: `reads "${name}", which is not an input of this node`, ...at(v, shift) });
    }
    return;
  }
  if (v.type === 'TABLE_FUNCTION' && isObject(v.function)) {
    const fn = String(v.function.function_name ?? '').toLowerCase();
    if (!GENERATORS.has(fn)) {
      r.problems.push({
        message: `calls the table function ${fn}(): node SQL reads only its inputs (files enter through a source node; allowed table functions: ${[...GENERATORS].join(', ')})`,
        ...at(v, shift),
      });
    }
    return;
  }
  if (v.class === 'FUNCTION' && typeof v.function_name === 'string') {
    const fn = v.function_name.toLowerCase();
    if (REFUSED_FUNCTIONS.has(fn)) r.problems.push({ message: `calls ${fn}(), which a pipeline may not use`, ...at(v, shift) });
    if (fn === 'getvariable') {
      const arg = Array.isArray(v.children) ? v.children[0] : undefined;
      const name = isObject(arg) && arg.class === 'CONSTANT' && isObject(arg.value) ? arg.value.value : undefined;
      if (typeof name === 'string' && r.variables) r.variables.push(name);
      else r.variables = null;
    }
  }
}
