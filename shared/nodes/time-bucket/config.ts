import { z } from 'zod';
import { identifier, quoteIdent, quoteLiteral } from '../common';
import { aggregateItem, aggregateLines, aggregateOutputName } from '../aggregate/config';
import { columnName, expectInputs, inputRef, selectList } from '../lowcode-sql';

/** `15 minutes`, `1 hour`, `2 days`: a count and a unit, nothing else (it is written into the SQL as a literal). */
export const bucketInterval = z
  .string()
  .trim()
  .regex(
    /^[1-9]\d{0,8} (millisecond|second|minute|hour|day|week|month|year)s?$/i,
    'expected a count and a unit, e.g. 30 seconds, 15 minutes, 1 hour, 1 day',
  );

/**
 * Downsamples readings: rows fall into time buckets of a fixed width (DuckDB's `time_bucket`),
 * and each bucket (per group) gets aggregates, e.g. the mean pH per batch per 15 minutes.
 */
export const timeBucketConfig = z
  .strictObject({
    time_column: columnName.describe('Time column — the timestamp (or date) each reading was taken at'),
    interval: bucketInterval.describe('Bucket width — e.g. 30 seconds, 15 minutes, 1 hour, 1 day'),
    group_by: z.array(columnName).default([]).describe('Per group of — columns whose values get buckets of their own (a batch, a sensor)'),
    aggregates: z.array(aggregateItem).min(1, 'expected at least one aggregate').describe('Aggregates — the values computed for each bucket'),
    time_zone: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/, 'expected a time zone name such as UTC or America/New_York')
      .max(64)
      .optional()
      .describe(
        'Time zone — with a TIMESTAMPTZ column: the zone whose midnights the buckets of a day or more start at, e.g. Europe/Berlin (empty: UTC)',
      ),
    bucket_as: identifier.default('bucket').describe('Bucket column — the name of the output column holding each bucket\'s start'),
  })
  .superRefine((cfg, ctx) => {
    const names = new Map<string, string>([[cfg.bucket_as.toLowerCase(), 'bucket_as']]);
    cfg.group_by.forEach((g, i) => {
      const clash = names.get(g.toLowerCase());
      if (clash) ctx.addIssue({ code: 'custom', path: ['group_by', i], message: `the output already has a column "${g}" (${clash})` });
      names.set(g.toLowerCase(), `group_by[${i}]`);
    });
    cfg.aggregates.forEach((a, i) => {
      const out = aggregateOutputName(a);
      const clash = names.get(out.toLowerCase());
      if (clash) ctx.addIssue({ code: 'custom', path: ['aggregates', i, 'as'], message: `the output already has a column "${out}" (${clash}); choose another name` });
      names.set(out.toLowerCase(), `aggregates[${i}]`);
    });
  });
export type TimeBucketConfig = z.output<typeof timeBucketConfig>;

/**
 * `SELECT groups, time_bucket(INTERVAL '15 minutes', ts) AS bucket, aggregates ... GROUP BY
 * groups, bucket ORDER BY groups, bucket`. Buckets start at DuckDB's default origin (for
 * widths under a month, 2000-01-03, a Monday; months and years at 2000-01-01), so the same
 * reading always lands in the same bucket. A TIMESTAMPTZ column's buckets start in UTC whatever
 * the machine's time zone; a time zone makes a day's bucket that zone's day (DuckDB takes it
 * for TIMESTAMPTZ only: a plain TIMESTAMP has no zone to choose).
 */
export function timeBucketSql(config: TimeBucketConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('time_bucket', inputNames, 1, 1);
  const zone = config.time_zone ? `, ${quoteLiteral(config.time_zone)}` : '';
  const bucket = `time_bucket(INTERVAL '${config.interval.toLowerCase()}', ${quoteIdent(config.time_column)}${zone})`;
  const groups = config.group_by.map(quoteIdent);
  const items = [...groups.map((g) => [g]), [`${bucket} AS ${quoteIdent(config.bucket_as)}`], ...config.aggregates.map(aggregateLines)];
  const keys = [...groups, bucket].join(', ');
  return [...selectList(items), `FROM ${inputRef(input!)}`, `GROUP BY ${keys}`, `ORDER BY ${keys}`];
}
