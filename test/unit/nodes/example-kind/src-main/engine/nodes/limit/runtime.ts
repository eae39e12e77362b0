// src-main/engine/nodes/limit/runtime.ts
import { limitKind } from '../../../../shared/nodes/limit';
import { defineNodeRuntime } from '../../../../../../../../src-main/engine/nodes/define';

/** Runs the SELECT its definition generates; its result is reused from the cache like any transform's. */
export const limitRuntime = defineNodeRuntime(limitKind, { cacheable: true });
