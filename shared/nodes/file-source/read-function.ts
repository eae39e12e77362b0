import { quoteIdent, quoteLiteral as literal, quoteLiteralList as literalList, type FileFormat } from '../common';

export interface ReadOptions {
  format: FileFormat;
  hive_partitioning?: boolean;
  union_by_name?: boolean;
  csv?: { header: boolean; delimiter: string; null_strings: string[]; all_varchar: boolean } | undefined;
}

/**
 * The DuckDB table function that reads local files of one format. Shared by the file
 * source and the lake sources, which read their downloaded (cached) copies the same way.
 */
export function readFunction(paths: string | readonly string[], o: ReadOptions): string {
  const target = typeof paths === 'string' ? literal(paths) : literalList(paths);
  const opts: string[] = [];
  if (o.hive_partitioning) opts.push('hive_partitioning = true');
  if (o.union_by_name) opts.push('union_by_name = true');
  switch (o.format) {
    case 'csv': {
      const c = o.csv ?? { header: true, delimiter: ',', null_strings: [], all_varchar: false };
      opts.push(`header = ${c.header}`, `delim = ${literal(c.delimiter)}`);
      if (c.null_strings.length) opts.push(`nullstr = ${literalList(['', ...c.null_strings])}`);
      if (c.all_varchar) opts.push('all_varchar = true');
      return `read_csv(${[target, ...opts].join(', ')})`;
    }
    case 'parquet':
      return `read_parquet(${[target, ...opts].join(', ')})`;
    case 'json':
      return `read_json(${[target, "format = 'auto'", ...opts].join(', ')})`;
  }
}

/**
 * `CREATE TABLE name AS SELECT * FROM read_<format>(files)`; a view for a preview, so that a
 * LIMIT reads only the first rows.
 */
export function readStatement(nodeName: string, files: string | readonly string[], options: ReadOptions, relation: 'table' | 'view' = 'table'): string {
  return `CREATE OR REPLACE ${relation === 'table' ? 'TABLE' : 'VIEW'} ${quoteIdent(nodeName)} AS SELECT * FROM ${readFunction(files, options)}`;
}
