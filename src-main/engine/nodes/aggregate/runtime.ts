import { aggregateKind } from '../../../../shared/nodes/aggregate';
import { defineNodeRuntime } from '../define';

/** The aggregate node runs the SELECT its definition generates (shared/nodes/aggregate/). */
export const aggregateRuntime = defineNodeRuntime(aggregateKind, { cacheable: true });
