import { deduplicateSql, type DeduplicateConfig } from '../../../../shared/nodes/deduplicate';
import { lowCodeRuntime } from '../lowcode-view';

/** The deduplicate node runs the SELECT it generates (shared/nodes/deduplicate.ts). */
export const deduplicateRuntime = lowCodeRuntime<DeduplicateConfig>('deduplicate', deduplicateSql);
