import { pivotKind } from '../../../../shared/nodes/pivot';
import { defineNodeRuntime } from '../define';

/** Runs the SELECT its definition generates (shared/nodes/pivot/); cached like any transform. */
export const pivotRuntime = defineNodeRuntime(pivotKind, { cacheable: true });
