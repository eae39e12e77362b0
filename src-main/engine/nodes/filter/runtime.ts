import { filterKind } from '../../../../shared/nodes/filter';
import { defineNodeRuntime } from '../define';

/** The filter node runs the SELECT its definition generates (shared/nodes/filter/). */
export const filterRuntime = defineNodeRuntime(filterKind, { cacheable: true });
