import type { SqlConfig } from '../../../../shared/nodes/sql';
import { sqlText } from '../../../../shared/nodes/common';
import { ident } from '../../duckdb/sql';
import type { NodeRuntime } from '../types';

/** The SQL an analyst wrote, without trailing semicolons or blank lines. */
export function userSql(lines: readonly string[]): string {
  return sqlText(lines).replace(/[\s;]+$/, '');
}

export const sqlRuntime: NodeRuntime<SqlConfig> = {
  kind: 'sql',
  cacheable: true,
  compile({ node, config, fanOut }) {
    const relation = config.materialize === 'auto' ? (fanOut > 1 ? 'table' : 'view') : config.materialize;
    // The user's first line stays on line 1 so DuckDB's "LINE n" is the line in the editor.
    const kw = relation === 'table' ? 'TABLE' : 'VIEW';
    // The closing newline keeps a trailing `-- comment` from reaching anything after the query.
    return { relation, statements: [`CREATE OR REPLACE ${kw} ${ident(node.name)} AS ${userSql(config.sql)}\n`] };
  },
  queries: ({ config }) => [userSql(config.sql)],
};
