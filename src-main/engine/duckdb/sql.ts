import { quoteIdent, quoteLiteral } from '../../../shared/nodes/common';

/** Quoting for identifiers and literals the engine writes itself (never for user SQL): the same rules the node forms use. */
export { quoteIdent as ident, quoteLiteral as literal };

export function literalList(values: readonly string[]): string {
  return `[${values.map(quoteLiteral).join(', ')}]`;
}
