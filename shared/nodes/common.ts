import { z } from 'zod';

/** A path inside the workspace, written with forward slashes; globs allowed where a kind says so. */
export const workspacePath = z
  .string()
  .min(1, 'expected a non-empty path')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'expected a path inside the workspace (no "..")')
  .refine((p) => !/^([\\/]|~|[A-Za-z][A-Za-z0-9+.-]*:)/.test(p), 'expected a path relative to the workspace (not absolute, not ~, not a URL such as file://)')
  .refine((p) => !/[\\\u0000-\u001f]/.test(p), 'expected forward slashes and no control characters');

export const fileFormat = z.enum(['csv', 'parquet', 'json']);
export type FileFormat = z.infer<typeof fileFormat>;

/** An SQL identifier as DuckDB and PostgreSQL both accept it unquoted. */
export const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an SQL identifier (letters, digits, _; not starting with a digit)')
  .max(63, 'expected at most 63 characters');

/** SQL text is stored as an array of lines so that a git diff shows one line per SQL line. */
export const sqlLines = z.array(z.string().refine((l) => !l.includes('\n'), 'expected one line without newlines'));

export function sqlText(lines: readonly string[]): string {
  return lines.join('\n');
}

export function toSqlLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * A double-quoted SQL identifier, for names picked from a list (columns), so that any name
 * an input has works, whatever its case, spaces or reserved words.
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A single-quoted SQL string literal, for text a form field holds (a separator, a node name). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `['a', 'b']`: a DuckDB list of string literals (file lists, null strings). */
export function quoteLiteralList(values: readonly string[]): string {
  return `[${values.map(quoteLiteral).join(', ')}]`;
}
