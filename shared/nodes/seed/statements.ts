import { quoteIdent, quoteLiteral } from '../common';
import type { SeedConfig } from './config';

function value(v: string | number | boolean | null): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return quoteLiteral(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return 'NULL';
    return String(v);
  }
  return v ? 'TRUE' : 'FALSE';
}

/** `CREATE TABLE` with the declared columns, then one `INSERT` of every row. */
export function seedStatements(nodeName: string, config: SeedConfig): string[] {
  const name = quoteIdent(nodeName);
  const cols = config.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
  const statements = [`CREATE OR REPLACE TABLE ${name} (${cols})`];
  if (config.rows.length) {
    const rows = config.rows.map((r) => `(${r.map(value).join(', ')})`).join(',\n  ');
    statements.push(`INSERT INTO ${name} VALUES\n  ${rows}`);
  }
  return statements;
}
