import { quoteIdent, quoteLiteral } from '../common';
import type { HttpSourceConfig } from './config';

function columnsOption(columns: Record<string, string> | undefined): string {
  if (!columns) return '';
  return `, columns = {${Object.entries(columns).map(([k, t]) => `${quoteLiteral(k)}: ${quoteLiteral(t)}`).join(', ')}}`;
}

/** The landed records (NDJSON) as the node's table. */
export function httpReadStatement(nodeName: string, file: string, config: Pick<HttpSourceConfig, 'columns'>): string {
  // sample_size = -1: API records often gain fields late; look at all of them for the types.
  return `CREATE OR REPLACE TABLE ${quoteIdent(nodeName)} AS SELECT * FROM read_json(${quoteLiteral(file)}, format = 'newline_delimited', sample_size = -1${columnsOption(config.columns)})`;
}

/** No records, but declared columns: an empty table of that shape. */
export function httpEmptyStatement(nodeName: string, columns: Record<string, string>): string {
  return `CREATE OR REPLACE TABLE ${quoteIdent(nodeName)} (${Object.entries(columns).map(([k, t]) => `${quoteIdent(k)} ${t}`).join(', ')})`;
}
