import { z } from 'zod';
import { identifier } from '../common';

export const seedColumnType = z.enum(['VARCHAR', 'BIGINT', 'INTEGER', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ']);
export type SeedColumnType = z.infer<typeof seedColumnType>;

export const seedCell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const seedConfig = z
  .strictObject({
    columns: z.array(z.strictObject({ name: identifier, type: seedColumnType })).min(1, 'expected at least one column'),
    rows: z.array(z.array(seedCell)),
  })
  .superRefine((cfg, ctx) => {
    cfg.rows.forEach((row, i) => {
      if (row.length !== cfg.columns.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['rows', i],
          message: `expected ${cfg.columns.length} values (one per column), got ${row.length}`,
        });
      }
    });
  });
export type SeedConfig = z.infer<typeof seedConfig>;
