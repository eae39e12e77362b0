import { windowKind } from '../../../../shared/nodes/window';
import { defineNodeRuntime } from '../define';

/** Runs the SELECT its definition generates (shared/nodes/window/); cached like any transform. */
export const windowRuntime = defineNodeRuntime(windowKind, { cacheable: true });
