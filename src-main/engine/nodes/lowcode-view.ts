import type { SqlGenerator } from '../../../shared/nodes/lowcode';
import { ident } from '../duckdb/sql';
import type { NodeRuntime } from './types';

/**
 * The runtime of a low-code kind: its generated SELECT as a view, or as a table where the
 * node fans out (as a SQL node with materialize auto), so that converting it to a SQL
 * node changes nothing about how it runs.
 */
export function lowCodeRuntime<C>(kind: string, generate: SqlGenerator<C>): NodeRuntime<C> {
  return {
    kind,
    cacheable: true,
    compile({ node, config, inputs, fanOut }) {
      const relation = fanOut > 1 ? 'table' : 'view';
      const sql = generate(config, inputs.map((i) => i.name)).join('\n');
      return { relation, statements: [`CREATE OR REPLACE ${relation === 'table' ? 'TABLE' : 'VIEW'} ${ident(node.name)} AS ${sql}\n`] };
    },
    queries: ({ config, inputs }) => [generate(config, inputs.map((i) => i.name)).join('\n')],
  };
}
