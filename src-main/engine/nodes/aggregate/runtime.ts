import { aggregateSql, type AggregateConfig } from '../../../../shared/nodes/aggregate';
import { lowCodeRuntime } from '../lowcode-view';

/** The aggregate node runs the SELECT it generates (shared/nodes/aggregate.ts). */
export const aggregateRuntime = lowCodeRuntime<AggregateConfig>('aggregate', aggregateSql);
