import { timeBucketKind } from '../../../../shared/nodes/time-bucket';
import { defineNodeRuntime } from '../define';

/** Runs the SELECT its definition generates (shared/nodes/time-bucket/); cached like any transform. */
export const timeBucketRuntime = defineNodeRuntime(timeBucketKind, { cacheable: true });
