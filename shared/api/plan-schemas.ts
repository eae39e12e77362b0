import { z } from 'zod';
import { paramSpec } from '../pipeline/schema';

/** One node of a plan, in the order it runs: what `weir plan --json` prints per step. */
export const planStep = z.strictObject({
  step: z.number().int(),
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  relation: z.enum(['table', 'view', 'none']),
  /** Its inputs' names, as its SQL reads them. */
  inputs: z.array(z.string()),
  statements: z.array(z.string()),
  /** False for an upstream node that runs only because a selected node needs it. */
  selected: z.boolean(),
});

export const planResult = z.strictObject({
  pipeline: z.string(),
  params: z.record(z.string(), paramSpec),
  steps: z.array(planStep),
});
export type PlanResult = z.infer<typeof planResult>;
