import { fillMissingKind } from '../../../../shared/nodes/fill-missing';
import { defineNodeRuntime } from '../define';

/** Runs the SELECT its definition generates (shared/nodes/fill-missing/); cached like any transform. */
export const fillMissingRuntime = defineNodeRuntime(fillMissingKind, { cacheable: true });
