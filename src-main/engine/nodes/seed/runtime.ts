import { seedKind } from '../../../../shared/nodes/seed';
import { defineNodeRuntime } from '../define';

/** A table typed inline: its statements (shared/nodes/seed/) are all it runs. */
export const seedRuntime = defineNodeRuntime(seedKind, {
  cacheable: true,
  // Its rows are in its config: nothing outside the pipeline file to fingerprint.
  selfContained: true,
});
