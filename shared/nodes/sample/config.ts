import { z } from 'zod';
import type { Need } from '../form-needs';
import { expectInputs, inputRef } from '../lowcode-sql';
import { checkNeeds } from '../lowcode-needs';
import { orderItem, orderWithTieBreak } from '../lowcode-order';

export const sampleMode = z.enum(['first', 'random_rows', 'random_percent']);
export type SampleMode = z.infer<typeof sampleMode>;

/** Which fields each mode reads: the form shows these, and the validation says what is missing or unused. */
export const SAMPLE_NEEDS: Readonly<Record<SampleMode, Readonly<Record<string, Need>>>> = {
  first: { rows: 'required', order_by: 'optional', percent: 'hidden', seed: 'hidden' },
  random_rows: { rows: 'required', order_by: 'hidden', percent: 'hidden', seed: 'optional' },
  random_percent: { rows: 'hidden', order_by: 'hidden', percent: 'required', seed: 'optional' },
};

/** The seed a random sample uses when none is given: fixed, so a sample is the same on every run. */
export const DEFAULT_SEED = 42;

/** Keeps the first N rows in an order, or a repeatable random sample of N rows or P percent. */
export const sampleConfig = z
  .strictObject({
    mode: sampleMode
      .default('first')
      .describe('Keep — first: the first rows in an order; random_rows: N rows at random; random_percent: about P% of the rows at random'),
    rows: z.number().int().positive().max(1_000_000_000).optional().describe('Rows — how many rows to keep'),
    percent: z.number().gt(0).max(100).optional().describe('Percent — the share of rows to keep, 0 to 100 (each row is kept or not by its hash: about that share)'),
    order_by: z.array(orderItem).optional().describe('Order by — with first: the columns that decide which rows come first (then the whole row, so ties keep the same rows)'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional().describe(`Seed — with a random sample: the same seed picks the same rows on every run (default ${DEFAULT_SEED})`),
  })
  .superRefine((cfg, ctx) => checkNeeds(cfg, 'mode', SAMPLE_NEEDS, ctx));
export type SampleConfig = z.output<typeof sampleConfig>;

/**
 * first: `ORDER BY <order>, <row> LIMIT n` (no order: `ORDER BY ALL`). The random modes pick by
 * `hash(<row>, seed)` rather than DuckDB's `USING SAMPLE ... REPEATABLE`, whose seed repeats only
 * on one thread: a row's hash is the same however the input is read, so the same input and seed
 * always give the same rows (and the same output hash, as the audit trail expects).
 */
export function sampleSql(config: SampleConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('sample', inputNames, 1, 1);
  const from = inputRef(input!);
  const seed = config.seed ?? DEFAULT_SEED;
  switch (config.mode) {
    case 'first': {
      const order = config.order_by?.length ? orderWithTieBreak(config.order_by, from) : 'ALL';
      return ['SELECT *', `FROM ${from}`, `ORDER BY ${order}`, `LIMIT ${config.rows}`];
    }
    case 'random_rows':
      return ['SELECT *', `FROM ${from}`, `ORDER BY hash(${from}, ${seed}), ${from} -- random but repeatable: by the row's hash with the seed`, `LIMIT ${config.rows}`];
    case 'random_percent':
      // Millionths, so 0.5% is 5000 of every 1,000,000 hash values.
      return ['SELECT *', `FROM ${from}`, `WHERE hash(${from}, ${seed}) % 1000000 < ${Math.round(config.percent! * 10_000)} -- about ${config.percent}% of the rows, the same ones on every run`];
  }
}
