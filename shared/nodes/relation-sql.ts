import { WeirError } from '../errors';
import { quoteIdent } from './common';
import type { CompileAt, CompiledSql, Relation, SqlGenerator } from './define';

/**
 * A SELECT as the node's relation: a view, or a table. The closing newline keeps a trailing
 * `-- comment` (in user SQL or a fragment) from reaching anything after the query.
 */
export function selectAs(nodeName: string, relation: Exclude<Relation, 'none'>, select: string): CompiledSql {
  return { relation, statements: [`CREATE OR REPLACE ${relation === 'table' ? 'TABLE' : 'VIEW'} ${quoteIdent(nodeName)} AS ${select}\n`] };
}

/** A transform read more than once becomes a table, so its SELECT runs once. */
export function autoRelation(at: Pick<CompileAt, 'fanOut'>): 'table' | 'view' {
  return at.fanOut > 1 ? 'table' : 'view';
}

/**
 * The compile and sandbox queries of a low-code transform: its generated SELECT as a view, or
 * a table where the node fans out (as a SQL node with materialize auto), so converting it to a
 * SQL node changes nothing about how it runs.
 */
export function lowCodeParts<C>(select: SqlGenerator<C>) {
  return {
    select,
    compile: (config: C, at: CompileAt): CompiledSql => selectAs(at.nodeName, autoRelation(at), select(config, at.inputNames).join('\n')),
    queries: (config: C, at: CompileAt): string[] => [select(config, at.inputNames).join('\n')],
  };
}

/** The name of a node's first input (the relation a sink writes), or a one-line error. */
export function firstInput(at: Pick<CompileAt, 'nodeName' | 'inputNames'>): string {
  const input = at.inputNames[0];
  if (input === undefined) throw new WeirError('invalid', `node "${at.nodeName}" needs an input`);
  return input;
}

/** Where a config's path is read or written: the engine's absolute path, or as written. */
export function filePathAt(at: CompileAt, path: string): string {
  return at.filePath ? at.filePath(path) : path;
}
