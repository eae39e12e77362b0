import { describe, expect, it } from 'vitest';
import { numericPrecision, sourceColumn } from '../../../src-main/engine/postgres/pg-to-duckdb';

const field = (typeOid: number, typmod = -1, category = 'N') => ({ name: 'c', typeOid, typmod, category });

describe('PostgreSQL → DuckDB types for postgres_source', () => {
  it('reads numeric(p,s) precision and scale from the type modifier', () => {
    expect(numericPrecision((12 << 16) + 4 + 4)).toEqual({ precision: 12, scale: 4 });
    expect(numericPrecision(-1)).toBeNull();
  });

  it('maps the common types one to one', () => {
    const t = (oid: number, typmod = -1) => sourceColumn(field(oid, typmod)).duckType;
    expect([t(16), t(21), t(23), t(20), t(700), t(701), t(25), t(1043), t(1082), t(1083), t(1114), t(1184), t(2950)]).toEqual([
      'BOOLEAN',
      'SMALLINT',
      'INTEGER',
      'BIGINT',
      'FLOAT',
      'DOUBLE',
      'VARCHAR',
      'VARCHAR',
      'DATE',
      'TIME',
      'TIMESTAMP',
      'TIMESTAMPTZ',
      'UUID',
    ]);
    expect(t(1700, (10 << 16) + 2 + 4)).toBe('DECIMAL(10,2)');
  });

  it('numeric beyond 38 digits or unconstrained becomes DOUBLE, as DuckDB\'s own postgres scanner does', () => {
    expect(sourceColumn(field(1700)).duckType).toBe('DOUBLE');
    expect(sourceColumn(field(1700, (50 << 16) + 2 + 4)).duckType).toBe('DOUBLE');
  });

  it('converts in PostgreSQL what DuckDB cannot parse as written', () => {
    expect(sourceColumn(field(17))).toMatchObject({ pgExpr: `encode(q."c", 'hex')`, duckExpr: 'unhex("c")', duckType: 'BLOB' });
    expect(sourceColumn(field(3802))).toMatchObject({ duckExpr: 'CAST("c" AS JSON)', duckType: 'JSON' });
    expect(sourceColumn(field(1007, -1, 'A'))).toMatchObject({ pgExpr: 'to_jsonb(q."c")::text', duckType: 'JSON' });
    expect(sourceColumn(field(1186)).duckType).toBe('INTERVAL');
    expect(sourceColumn(field(869, -1, 'I'))).toMatchObject({ pgExpr: 'q."c"::text', duckType: 'VARCHAR' });
  });
});
