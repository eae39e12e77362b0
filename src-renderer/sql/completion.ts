import { identifierKey, tokenizeSql, type SqlToken } from '../../shared/pipeline/sql-tokens';
import { GENERATOR_TABLE_FUNCTIONS, REFUSED_SCALAR_FUNCTIONS } from '../../shared/sql/sandbox-functions';
import { sqlName } from './keywords';
import { statementScope, statementTokens } from './sql-scope';

/**
 * Completion for a node's SQL, as a pure function of the text, the cursor and what is known
 * of the inputs, so that it is tested without an editor and never waits on the engine:
 * the schemas come from a cache filled in the background.
 */

export interface ColumnInfo {
  name: string;
  type: string;
}

export interface TableSchema {
  /** The input's node name, as the SQL refers to it. */
  name: string;
  /** Empty while the columns are not known (yet). */
  columns: readonly ColumnInfo[];
}

export interface FunctionInfo {
  name: string;
  type: string;
  description?: string | null;
  params?: string | null;
}

export interface CompletionRequest {
  text: string;
  /** The cursor, as an offset into `text`. */
  offset: number;
  tables: readonly TableSchema[];
  functions?: readonly FunctionInfo[];
  keywords?: readonly string[];
  /** The pipeline's parameter names, offered inside getvariable('…'). */
  params?: readonly string[];
  /**
   * Asked because a space was typed (not a word character, not Ctrl+Space): answered only
   * where a table name goes (`from `, `join `), so that suggestions come unasked there and
   * nowhere else a space is typed.
   */
  afterSpace?: boolean;
}

export type SuggestionKind = 'column' | 'table' | 'function' | 'keyword' | 'param';

export interface Suggestion {
  label: string;
  kind: SuggestionKind;
  insertText: string;
  /** insertText is a snippet (`name($0)`). */
  snippet?: boolean;
  /** What the editor filters on: the text as it will be inserted. */
  filterText: string;
  detail?: string;
  documentation?: string;
  sortText: string;
}

export interface CompletionResult {
  /** The text from `from` to `to` (the cursor, or the end of a quoted name) is replaced by the chosen suggestion. */
  from: number;
  to: number;
  suggestions: Suggestion[];
}

const TABLE_FUNCTION_TYPES = new Set(['table', 'table_macro']);

/**
 * Whether completion offers a function: only what node SQL may call (the sandbox's list), so
 * never DuckDB's internals (`checkpoint`, `disable_logging`, `arrow_scan_dumb`: table functions
 * the sandbox refuses), nor functions that read the engine's setup.
 */
function offered(f: FunctionInfo, tableFunctions: boolean): boolean {
  const name = f.name.toLowerCase();
  if (name.startsWith('__')) return false;
  return tableFunctions ? GENERATOR_TABLE_FUNCTIONS.has(name) : !REFUSED_SCALAR_FUNCTIONS.has(name);
}

function tokenAt(tokens: readonly SqlToken[], offset: number): SqlToken | undefined {
  return tokens.find((t) => t.start < offset && offset <= t.start + t.text.length);
}

/** A string or comment the cursor is inside (an unterminated one runs to the end). */
function insideLiteral(t: SqlToken | undefined, offset: number): boolean {
  if (!t || (t.kind !== 'string' && t.kind !== 'comment')) return false;
  const end = t.start + t.text.length;
  if (offset < end) return true;
  if (t.kind === 'comment') return t.text.startsWith('--') || !t.text.endsWith('*/');
  // A string that ends at the cursor is inside only when it is unterminated.
  return t.text.length === 1 || !t.text.endsWith("'") || /^[eExXbB]?'$/.test(t.text);
}

const previousSignificant = (tokens: readonly SqlToken[], before: number): SqlToken | undefined => {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.start >= before || t.kind === 'space' || t.kind === 'comment') continue;
    return t;
  }
  return undefined;
};

function keywordCase(word: string, prefix: string): string {
  return /[A-Z]/.test(prefix) ? word.toUpperCase() : word.toLowerCase();
}

function columnSuggestions(tables: readonly TableSchema[], sort: string): Suggestion[] {
  const byName = new Map<string, { name: string; types: Set<string>; tables: string[] }>();
  for (const t of tables) {
    for (const c of t.columns) {
      const key = c.name.toLowerCase();
      const entry = byName.get(key) ?? { name: c.name, types: new Set<string>(), tables: [] };
      entry.types.add(c.type);
      entry.tables.push(t.name);
      byName.set(key, entry);
    }
  }
  return [...byName.values()].map((c) => {
    const insertText = sqlName(c.name);
    return {
      label: c.name,
      kind: 'column' as const,
      insertText,
      filterText: insertText,
      detail: `${[...c.types].join(' | ')} · ${c.tables.join(', ')}`,
      sortText: `${sort}${c.name.toLowerCase()}`,
    };
  });
}

function tableSuggestions(tables: readonly TableSchema[], ctes: readonly string[], sort: string): Suggestion[] {
  const out: Suggestion[] = tables.map((t) => {
    const insertText = sqlName(t.name);
    return {
      label: t.name,
      kind: 'table' as const,
      insertText,
      filterText: insertText,
      detail: t.columns.length ? `input · ${t.columns.length} columns` : 'input',
      documentation: t.columns.map((c) => `${c.name} ${c.type}`).join('\n') || undefined,
      sortText: `${sort}${t.name.toLowerCase()}`,
    };
  });
  for (const c of ctes) {
    if (tables.some((t) => t.name.toLowerCase() === c)) continue;
    out.push({ label: c, kind: 'table', insertText: c, filterText: c, detail: 'CTE', sortText: `${sort}${c}` });
  }
  return out;
}

function functionSuggestions(functions: readonly FunctionInfo[], tableFunctions: boolean, sort: string, nextChar: string): Suggestion[] {
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  for (const f of functions) {
    if (TABLE_FUNCTION_TYPES.has(f.type) !== tableFunctions || seen.has(f.name) || !offered(f, tableFunctions)) continue;
    seen.add(f.name);
    const call = nextChar === '(';
    out.push({
      label: f.name,
      kind: 'function',
      insertText: call ? f.name : `${f.name}($0)`,
      snippet: !call,
      filterText: f.name,
      detail: `${f.type} ${f.name}(${f.params ?? ''})`,
      documentation: f.description ?? undefined,
      sortText: `${sort}${f.name}`,
    });
  }
  return out;
}

function keywordSuggestions(keywords: readonly string[], prefix: string, sort: string): Suggestion[] {
  return keywords.map((k) => {
    const text = keywordCase(k, prefix);
    return { label: text, kind: 'keyword' as const, insertText: text, filterText: text, sortText: `${sort}${k.toLowerCase()}` };
  });
}

export function sqlCompletions(req: CompletionRequest): CompletionResult {
  const { text, offset, tables } = req;
  const functions = req.functions ?? [];
  const keywords = req.keywords ?? [];
  const tokens = tokenizeSql(text);
  const here = tokenAt(tokens, offset);
  const none: CompletionResult = { from: offset, to: offset, suggestions: [] };

  if (insideLiteral(here, offset)) {
    // getvariable('…'): the pipeline's parameters.
    const before = here ? previousSignificant(tokens, here.start) : undefined;
    const fn = before && before.text === '(' ? previousSignificant(tokens, before.start) : undefined;
    if (here?.kind === 'string' && fn && identifierKey(fn) === 'getvariable' && here.text.startsWith("'")) {
      return {
        from: here.start + 1,
        to: offset,
        suggestions: (req.params ?? []).map((p) => ({ label: p, kind: 'param', insertText: p, filterText: p, detail: 'parameter', sortText: `0${p}` })),
      };
    }
    return none;
  }

  // The word being typed (a bare or a double-quoted identifier) is what a suggestion replaces.
  const word = here && (here.kind === 'word' || here.kind === 'quoted') ? here : undefined;
  const from = word ? word.start : offset;
  // A quoted name is replaced whole, closing quote included (the editor closes quotes as they open).
  const wordEnd = word ? word.start + word.text.length : offset;
  const to = word?.kind === 'quoted' && /^[^"\s]*"$/.test(text.slice(offset, wordEnd)) ? wordEnd : offset;
  const prefix = word ? text.slice(word.start, offset) : '';
  const nextChar = text.slice(word ? wordEnd : offset).trimStart().charAt(0);
  const stmt = statementTokens(tokens, offset);
  const scope = statementScope(stmt);
  const known = new Map(tables.map((t) => [t.name.toLowerCase(), t]));

  const prev = previousSignificant(tokens, from);
  // `alias.` or `table.`: that table's columns, nothing else.
  if (prev?.kind === 'punct' && prev.text === '.') {
    const qualifier = previousSignificant(tokens, prev.start);
    const key = qualifier ? identifierKey(qualifier) : null;
    if (!key) return none;
    const ref = scope.refs.find((r) => r.alias === key) ?? scope.refs.find((r) => r.key === key && !r.alias) ?? { key };
    const table = known.get(ref.key);
    return { from, to, suggestions: table ? columnSuggestions([table], '0') : [] };
  }
  // A new name after AS is the user's to invent.
  if (prev && identifierKey(prev) === 'as' && prev.kind === 'word') return none;

  // Where a table name goes: the inputs (and CTEs), then table functions.
  const before = statementScope(stmt.filter((t) => t.start < from));
  if (before.expectTable) {
    return {
      from,
      to,
      suggestions: [...tableSuggestions(tables, scope.ctes, '0'), ...functionSuggestions(functions, true, '1', nextChar)],
    };
  }

  // A space only asks where a table goes; elsewhere it is just a space.
  if (req.afterSpace) return none;

  // An expression: columns of the tables the statement reads (every input's when it reads none yet).
  const inScope = scope.refs.map((r) => known.get(r.key)).filter((t): t is TableSchema => !!t);
  const columnsFrom = inScope.length ? [...new Set(inScope)] : tables;
  return {
    from,
    to,
    suggestions: [
      ...columnSuggestions(columnsFrom, '0'),
      ...tableSuggestions(tables, scope.ctes, '1'),
      ...functionSuggestions(functions, false, '2', nextChar),
      ...keywordSuggestions(keywords, prefix, '3'),
    ],
  };
}
