import { quoteIdent, quoteLiteral, quoteLiteralList } from '../../../shared/nodes/common';

/** Quoting for identifiers and literals the engine writes itself (never for user SQL): the same rules the node forms use. */
export { quoteIdent as ident, quoteLiteral as literal, quoteLiteralList as literalList };
