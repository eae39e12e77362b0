import { z } from 'zod';
import { REVIEW_SCHEMA_PATH, REVIEW_VERSION, reviewReport } from './schema';

/** The review report's JSON Schema, for CI scripts and change-control tools that read `weir review --json`. */
export function reviewJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(reviewReport, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: `https://weir.dev/${REVIEW_SCHEMA_PATH}`, title: `Weir review report (version ${REVIEW_VERSION})` };
}
