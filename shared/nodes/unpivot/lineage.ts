import { quoteIdent, quoteLiteral } from '../common';
import { columnList, inputRef } from '../lowcode-sql';

/**
 * An unpivot over listed columns written with unnest, for column lineage only (shared/lineage
 * reads SELECTs, not UNPIVOT): the other columns, then the names (constants) and the values
 * (from the listed columns), in UNPIVOT's order. Used by unpivot and by wide to long's list.
 */
export function unpivotLineageSql(columns: readonly string[], nameColumn: string, valueColumn: string, inputNames: readonly string[]): string {
  const names = `unnest([${columns.map(quoteLiteral).join(', ')}]) AS ${quoteIdent(nameColumn)}`;
  const values = `unnest([${columnList(columns)}]) AS ${quoteIdent(valueColumn)}`;
  return `SELECT * EXCLUDE (${columnList(columns)}), ${names}, ${values} FROM ${inputRef(inputNames[0]!)}`;
}
