/**
 * The config fields of a node kind that hold SQL text written by a user: what the sandbox
 * checks (each must be one SELECT, or one expression, reading only the node's inputs) and
 * what tools that rewrite or show SQL read, instead of guessing from field names.
 */
export interface SqlField {
  /** Where the text sits in the node, for messages: `["config", "rules", 2, "where"]`. */
  path: readonly (string | number)[];
  text: string;
  /**
   * `query`: a whole SELECT (a SQL node, a check's query rule).
   * `expression`: a value or condition placed inside generated SQL (a filter condition,
   * an aggregate expression, a rule's `where`).
   */
  form: 'query' | 'expression';
}

/** The `path` of a field as one JSON-path-like string: `config.rules[2].where`. */
export function sqlFieldPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
