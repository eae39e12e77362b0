import { describe, expect, it } from 'vitest';
import { previewFilter } from '../../../../shared/preview/query';
import { filterCondition, previewQuery } from '../../../../src-main/engine/run/preview-query';

const columns = ['batch_id', 'viability', 'Cell Count', 'site'];

describe("a preview's order and filters as SQL", () => {
  it('orders by quoted column names, NULLs last, then limits', () => {
    expect(previewQuery('qc', { columns, orderBy: [{ column: 'viability', descending: true }, { column: 'Cell Count' }] }, 1000)).toBe(
      'SELECT * FROM "qc" ORDER BY "viability" DESC NULLS LAST, "Cell Count" ASC NULLS LAST LIMIT 1000',
    );
    // DuckDB compares names ignoring case: the relation's spelling is used.
    expect(previewQuery('qc', { columns, orderBy: [{ column: 'VIABILITY' }] }, 10)).toBe('SELECT * FROM "qc" ORDER BY "viability" ASC NULLS LAST LIMIT 10');
  });

  it('filters by column, operator and a value that is always a literal, never SQL', () => {
    expect(filterCondition({ column: 'viability', op: '>=', value: 90 }, columns)).toBe(`"viability" >= '90'`);
    expect(filterCondition({ column: 'site', op: '!=', value: 'BOS' }, columns)).toBe(`"site" IS DISTINCT FROM 'BOS'`);
    expect(filterCondition({ column: 'site', op: 'contains', value: 'bo' }, columns)).toBe(`contains(lower(CAST("site" AS VARCHAR)), lower('bo'))`);
    expect(filterCondition({ column: 'Cell Count', op: 'is_null' }, columns)).toBe('"Cell Count" IS NULL');
    const hostile = "x'; COPY (select 1) TO '/tmp/pwn.csv'; --";
    expect(filterCondition({ column: 'site', op: '=', value: hostile }, columns)).toBe(`"site" = 'x''; COPY (select 1) TO ''/tmp/pwn.csv''; --'`);
    expect(previewQuery('qc', { columns, filter: [{ column: 'site', op: 'starts_with', value: 'B' }, { column: 'viability', op: '<', value: '70' }] }, 5)).toBe(
      `SELECT * FROM "qc" WHERE (starts_with(lower(CAST("site" AS VARCHAR)), lower('B'))) AND ("viability" < '70') LIMIT 5`,
    );
  });

  it('refuses a column the relation does not have (a name is never taken as SQL)', () => {
    expect(() => filterCondition({ column: 'viability) OR (1=1', op: '=', value: 1 }, columns)).toThrow(/no column "viability\) OR \(1=1"/);
    expect(() => previewQuery('qc', { columns, orderBy: [{ column: 'nope' }] }, 1)).toThrow(/no column "nope"/);
  });

  it('the request shape: a comparison needs a value, IS NULL takes none', () => {
    expect(previewFilter.safeParse({ column: 'site', op: '=' }).success).toBe(false);
    expect(previewFilter.safeParse({ column: 'site', op: 'is_null' }).success).toBe(true);
    expect(previewFilter.safeParse({ column: 'site', op: 'like', value: '%' }).success).toBe(false);
  });
});
