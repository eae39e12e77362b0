import { sampleKind } from '../../../../shared/nodes/sample';
import { defineNodeRuntime } from '../define';

/** Runs the SELECT its definition generates (shared/nodes/sample/); cached like any transform. */
export const sampleRuntime = defineNodeRuntime(sampleKind, { cacheable: true });
