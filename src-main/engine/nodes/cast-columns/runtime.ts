import { castColumnsKind } from '../../../../shared/nodes/cast-columns';
import { defineNodeRuntime } from '../define';

/** Runs the SELECT its definition generates (shared/nodes/cast-columns/); cached like any transform. */
export const castColumnsRuntime = defineNodeRuntime(castColumnsKind, { cacheable: true });
