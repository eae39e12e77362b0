import { selectKind } from '../../../../shared/nodes/select';
import { defineNodeRuntime } from '../define';

/** The select node runs the SELECT its definition generates (shared/nodes/select/). */
export const selectRuntime = defineNodeRuntime(selectKind, { cacheable: true });
