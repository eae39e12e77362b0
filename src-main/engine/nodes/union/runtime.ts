import { unionSql, type UnionConfig } from '../../../../shared/nodes/union';
import { lowCodeRuntime } from '../lowcode-view';

/** The union node runs the SELECT it generates (shared/nodes/union.ts). */
export const unionRuntime = lowCodeRuntime<UnionConfig>('union', unionSql);
