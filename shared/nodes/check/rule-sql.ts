import { quoteIdent as ident, quoteLiteral as literal } from '../common';
import { userSql } from '../sql/config';
import type { CheckRule } from './config';

/**
 * The SQL that selects a rule's failing rows from the checked relation, written the way
 * dbt writes its generic tests so that NULLs are treated the same:
 * - not_null: rows where the column IS NULL;
 * - unique: non-NULL values (every column non-NULL for a combination) that occur more than once;
 * - accepted_values: non-NULL values not in the list;
 * - relationship: non-NULL values with no equal value in the other node's field;
 * - range, regex, expression: rows where the condition is false (NULL passes, like a CHECK constraint).
 * Every failing row is returned whole, so the report shows which batch it was.
 * User SQL is closed on its own line so a trailing `-- comment` cannot swallow the bracket.
 */

function valueLiteral(v: string | number | boolean): string {
  if (typeof v === 'string') return literal(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

/** The rows a rule looks at: the checked relation, narrowed by the rule's `where`. */
function scope(checked: string, where: string | undefined): string {
  return where ? `(SELECT * FROM ${ident(checked)} WHERE (\n${where}\n))` : ident(checked);
}

export function failingRowsSql(rule: Exclude<CheckRule, { type: 'row_count' }>, checked: string): string {
  if (rule.type === 'query') return `SELECT * FROM (\n${userSql(rule.sql)}\n)`;
  const from = `${scope(checked, rule.where)} AS t`;
  switch (rule.type) {
    case 'not_null':
      return `SELECT * FROM ${from} WHERE t.${ident(rule.column)} IS NULL`;
    case 'unique': {
      const cols = rule.columns.map((c) => `t.${ident(c)}`);
      return `SELECT * FROM ${from} WHERE ${cols.map((c) => `${c} IS NOT NULL`).join(' AND ')} QUALIFY count(*) OVER (PARTITION BY ${cols.join(', ')}) > 1`;
    }
    case 'accepted_values': {
      const col = `t.${ident(rule.column)}`;
      return `SELECT * FROM ${from} WHERE ${col} IS NOT NULL AND ${col} NOT IN (${rule.values.map(valueLiteral).join(', ')})`;
    }
    case 'range': {
      const col = `t.${ident(rule.column)}`;
      const conds: string[] = [];
      if (rule.min !== undefined) conds.push(`${col} ${rule.inclusive ? '>=' : '>'} ${valueLiteral(rule.min)}`);
      if (rule.max !== undefined) conds.push(`${col} ${rule.inclusive ? '<=' : '<'} ${valueLiteral(rule.max)}`);
      return `SELECT * FROM ${from} WHERE ${col} IS NOT NULL AND NOT (${conds.join(' AND ')})`;
    }
    case 'relationship': {
      const col = `t.${ident(rule.column)}`;
      // NOT EXISTS rather than NOT IN: a NULL in the parent column would make NOT IN pass everything.
      return `SELECT * FROM ${from} WHERE ${col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ident(rule.to)} AS p WHERE p.${ident(rule.field)} = ${col})`;
    }
    case 'regex': {
      const col = `t.${ident(rule.column)}`;
      return `SELECT * FROM ${from} WHERE ${col} IS NOT NULL AND NOT regexp_full_match(CAST(${col} AS VARCHAR), ${literal(rule.pattern)})`;
    }
    case 'expression':
      return `SELECT * FROM ${from} WHERE NOT (\n${rule.expression}\n)`;
  }
}

/** The row count a row_count rule compares with its bounds. */
export function rowCountSql(rule: Extract<CheckRule, { type: 'row_count' }>, checked: string): string {
  return `SELECT count(*)::BIGINT AS n FROM ${scope(checked, rule.where)}`;
}
