import { describe, expect, it } from 'vitest';
import { deduplicateConfig, deduplicateSql } from '../../../../shared/nodes/deduplicate';

const sql = (config: unknown, inputs = ['assays']) => deduplicateSql(deduplicateConfig.parse(config), inputs);

describe('deduplicate SQL', () => {
  it('without keys merges rows equal in every column', () => {
    expect(sql({})).toEqual(['SELECT DISTINCT *', 'FROM assays']);
    expect(sql({ keep: 'last' })).toEqual(['SELECT DISTINCT *', 'FROM assays']);
  });

  it('keeps the first row per key in the given order, the whole row breaking ties', () => {
    expect(sql({ keys: ['batch_id', 'assay'], order_by: [{ column: 'measured_at', direction: 'desc' }, { column: 'run' }] })).toEqual([
      'SELECT *',
      'FROM assays',
      'QUALIFY row_number() OVER (',
      '  PARTITION BY "batch_id", "assay"',
      '  ORDER BY "measured_at" DESC NULLS LAST, "run" ASC NULLS LAST, assays -- the whole row breaks ties',
      ') = 1',
    ]);
  });

  it('keep last reverses the whole order, NULLs included', () => {
    expect(sql({ keys: ['batch_id'], order_by: [{ column: 'measured_at', direction: 'desc' }, { column: 'run' }], keep: 'last' })[4]).toBe(
      '  ORDER BY "measured_at" ASC NULLS FIRST, "run" DESC NULLS FIRST, assays DESC -- the whole row breaks ties',
    );
    expect(sql({ keys: ['batch_id'] })[4]).toBe('  ORDER BY assays -- the whole row breaks ties');
  });

  it('refuses an order without keys and a key listed twice', () => {
    expect(deduplicateConfig.safeParse({ order_by: [{ column: 'x' }] }).error?.issues[0]?.path).toEqual(['order_by']);
    expect(deduplicateConfig.safeParse({ keys: ['a', 'A'] }).error?.issues[0]).toMatchObject({ path: ['keys', 1], message: '"A" is already a key column' });
    expect(deduplicateConfig.safeParse({ keys: ['a'], order_by: [{ column: 'x', direction: 'up' }] }).success).toBe(false);
  });
});
