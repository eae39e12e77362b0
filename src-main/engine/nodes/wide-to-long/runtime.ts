import { wideToLongKind } from '../../../../shared/nodes/wide-to-long';
import { defineNodeRuntime } from '../define';

/** Runs the SELECT its definition generates (shared/nodes/wide-to-long/); cached like any transform. */
export const wideToLongRuntime = defineNodeRuntime(wideToLongKind, { cacheable: true });
