import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const TABLE_START = '<!-- bench:latest:start -->';
export const TABLE_END = '<!-- bench:latest:end -->';

/**
 * Puts the latest full run's table between the markers in a document (docs/benchmarks.md,
 * and the README where it carries the markers). Files without the markers are left alone.
 */
export function updateDocTable(file: string, markdown: string): boolean {
  if (!existsSync(file)) return false;
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  if (start < 0 || end < start) return false;
  const next = `${text.slice(0, start + TABLE_START.length)}\n${markdown.trim()}\n${text.slice(end)}`;
  if (next !== text) writeFileSync(file, next);
  return true;
}
