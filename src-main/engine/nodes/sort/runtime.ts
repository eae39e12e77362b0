import { sortKind } from '../../../../shared/nodes/sort';
import { defineNodeRuntime } from '../define';

/** Runs the SELECT its definition generates (shared/nodes/sort/); cached like any transform. */
export const sortRuntime = defineNodeRuntime(sortKind, { cacheable: true });
