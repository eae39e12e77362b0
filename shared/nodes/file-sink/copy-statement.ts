import { quoteIdent as ident, quoteLiteral as literal } from '../common';

export interface CopyOptions {
  format: 'parquet' | 'csv';
  partition_by: readonly string[];
  order_by: readonly string[];
}

/**
 * The sort that makes the bytes reproducible: the configured columns, then every column as a
 * tie-breaker (DuckDB's parallel sort puts rows with equal keys in any order; rows equal in
 * every column are the same bytes whichever comes first). No columns configured: all of them.
 */
export function orderClause(orderBy: readonly string[]): string {
  return orderBy.length ? `${orderBy.map(ident).join(', ')}, COLUMNS(*)` : 'ALL';
}

export function copyOptions(o: Pick<CopyOptions, 'format'>): string {
  const opts = [`FORMAT ${o.format === 'parquet' ? 'parquet' : 'csv'}`];
  if (o.format === 'csv') opts.push('HEADER true');
  if (o.format === 'parquet') opts.push("COMPRESSION 'zstd'");
  return opts.join(', ');
}

/**
 * `COPY (SELECT ... ORDER BY ...) TO path`: rows sorted so that the same inputs give the
 * same bytes. A partitioned output is written one ordered COPY per partition folder
 * (partitioned-copy.ts: DuckDB's own PARTITION_BY writes a varying number of files, rows
 * interleaved by thread); for it this is the statement a plan shows, not one that runs.
 */
export function copyStatement(input: string, target: string, o: CopyOptions): string {
  if (!o.partition_by.length) return `COPY (SELECT * FROM ${ident(input)} ORDER BY ${orderClause(o.order_by)}) TO ${literal(target)} (${copyOptions(o)})`;
  const parts = o.partition_by.map(ident).join(', ');
  const ext = o.format === 'parquet' ? 'parquet' : 'csv';
  return (
    `-- one COPY per partition folder ${o.partition_by.map((c) => `${c}=<value>`).join('/')}, in folder order\n` +
    `COPY (SELECT * EXCLUDE (${parts}) FROM ${ident(input)} WHERE (${parts}) = <the folder's values> ORDER BY ${orderClause(o.order_by)}) TO ${literal(`${target}/${o.partition_by.map((c) => `${c}=<value>`).join('/')}/data_0.${ext}`)} (${copyOptions(o)})`
  );
}
