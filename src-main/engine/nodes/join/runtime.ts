import { joinSql, type JoinConfig } from '../../../../shared/nodes/join';
import { lowCodeRuntime } from '../lowcode-view';

/** The join node runs the SELECT it generates (shared/nodes/join.ts). */
export const joinRuntime = lowCodeRuntime<JoinConfig>('join', joinSql);
