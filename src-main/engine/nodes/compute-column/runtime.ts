import { computeColumnKind } from '../../../../shared/nodes/compute-column';
import { defineNodeRuntime } from '../define';

/** Runs the SELECT its definition generates (shared/nodes/compute-column/); cached like any transform. */
export const computeColumnRuntime = defineNodeRuntime(computeColumnKind, { cacheable: true });
