import { deduplicateKind } from '../../../../shared/nodes/deduplicate';
import { defineNodeRuntime } from '../define';

/** The deduplicate node runs the SELECT its definition generates (shared/nodes/deduplicate/). */
export const deduplicateRuntime = defineNodeRuntime(deduplicateKind, { cacheable: true });
