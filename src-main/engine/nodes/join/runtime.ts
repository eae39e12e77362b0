import { joinKind } from '../../../../shared/nodes/join';
import { defineNodeRuntime } from '../define';

/** The join node runs the SELECT its definition generates (shared/nodes/join/). */
export const joinRuntime = defineNodeRuntime(joinKind, { cacheable: true });
