import { unpivotKind } from '../../../../shared/nodes/unpivot';
import { defineNodeRuntime } from '../define';

/** Runs the SELECT its definition generates (shared/nodes/unpivot/); cached like any transform. */
export const unpivotRuntime = defineNodeRuntime(unpivotKind, { cacheable: true });
