import { unionKind } from '../../../../shared/nodes/union';
import { defineNodeRuntime } from '../define';

/** The union node runs the SELECT its definition generates (shared/nodes/union/). */
export const unionRuntime = defineNodeRuntime(unionKind, { cacheable: true });
