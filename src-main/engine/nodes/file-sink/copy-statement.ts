import { ident, literal } from '../../duckdb/sql';

export interface CopyOptions {
  format: 'parquet' | 'csv';
  partition_by: readonly string[];
  order_by: readonly string[];
}

/**
 * `COPY (SELECT ... ORDER BY ...) TO path`: rows sorted so that the same inputs give the
 * same bytes; one writer thread per file for the same reason.
 */
export function copyStatement(input: string, target: string, o: CopyOptions): string {
  const order = o.order_by.length ? o.order_by.map(ident).join(', ') : 'ALL';
  const opts = [`FORMAT ${o.format === 'parquet' ? 'parquet' : 'csv'}`];
  if (o.format === 'csv') opts.push('HEADER true');
  if (o.format === 'parquet') opts.push("COMPRESSION 'zstd'");
  if (o.partition_by.length) opts.push(`PARTITION_BY (${o.partition_by.map(ident).join(', ')})`);
  return `COPY (SELECT * FROM ${ident(input)} ORDER BY ${order}) TO ${literal(target)} (${opts.join(', ')})`;
}
