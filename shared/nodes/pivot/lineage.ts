import { quoteIdent, quoteLiteral } from '../common';
import { columnList, inputRef } from '../lowcode-sql';
import type { PivotConfig } from './config';

/**
 * The pivot written as conditional aggregates, for column lineage only (shared/lineage reads
 * SELECTs, not PIVOT): the same columns in the same order, each value column computed from the
 * values column and decided by the names column and the groups.
 */
export function pivotLineageSql(config: PivotConfig, inputNames: readonly string[]): string {
  const col = config.value_column ? quoteIdent(config.value_column) : '*';
  const agg = config.fn === 'count_distinct' ? `count(DISTINCT ${col})` : `${config.fn}(${col})`;
  const groups = config.group_by.length
    ? columnList(config.group_by)
    : `* EXCLUDE (${columnList([config.column, ...(config.value_column ? [config.value_column] : [])])})`;
  const cells = config.values.map((v) => `${agg} FILTER (WHERE ${quoteIdent(config.column)} = ${quoteLiteral(v)}) AS ${quoteIdent(v)}`);
  return `SELECT ${[groups, ...cells].join(', ')} FROM ${inputRef(inputNames[0]!)} GROUP BY ALL`;
}
