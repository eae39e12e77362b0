import { ident } from '../duckdb/sql';
import { pgIdent } from './sql';

/** A column of a PostgreSQL result as the source reads it. */
export interface PgField {
  name: string;
  typeOid: number;
  /** atttypmod: precision and scale for numeric, -1 when unconstrained. */
  typmod: number;
  /** pg_type.typcategory: 'A' for arrays, 'E' enums, 'C' composites... */
  category: string;
}

export interface SourceColumn {
  name: string;
  /** What PostgreSQL writes into the CSV for this column. */
  pgExpr: string;
  /** How read_csv types the CSV field. */
  csvType: string;
  /** The DuckDB expression over the CSV column that gives the final value. */
  duckExpr: string;
  duckType: string;
}

const OID = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  xml: 142,
  float4: 700,
  float8: 701,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
} as const;

/** numeric(p,s) from its typmod; null when unconstrained. */
export function numericPrecision(typmod: number): { precision: number; scale: number } | null {
  if (typmod < 4) return null;
  const v = typmod - 4;
  return { precision: (v >> 16) & 0xffff, scale: v & 0xffff };
}

/**
 * How one PostgreSQL column travels: PostgreSQL renders it into CSV in a form DuckDB
 * parses exactly (the session runs with TimeZone UTC and ISO dates), and DuckDB types it.
 * Types with no DuckDB counterpart arrive as text; arrays and composites as JSON.
 */
export function sourceColumn(f: PgField): SourceColumn {
  const q = `q.${pgIdent(f.name)}`;
  const d = ident(f.name);
  const same = (t: string): SourceColumn => ({ name: f.name, pgExpr: q, csvType: t, duckExpr: d, duckType: t });
  switch (f.typeOid) {
    case OID.bool:
      return same('BOOLEAN');
    case OID.int2:
      return same('SMALLINT');
    case OID.int4:
      return same('INTEGER');
    case OID.int8:
      return same('BIGINT');
    case OID.oid:
      return same('UINTEGER');
    case OID.float4:
      return same('FLOAT');
    case OID.float8:
      return same('DOUBLE');
    case OID.numeric: {
      const p = numericPrecision(f.typmod);
      // DuckDB decimals stop at 38 digits; unconstrained numeric becomes DOUBLE, as
      // DuckDB's own postgres scanner does.
      if (p && p.precision >= 1 && p.precision <= 38) return same(`DECIMAL(${p.precision},${p.scale})`);
      return same('DOUBLE');
    }
    case OID.date:
      return same('DATE');
    case OID.time:
      return same('TIME');
    case OID.timetz:
      return same('TIMETZ');
    case OID.timestamp:
      return same('TIMESTAMP');
    case OID.timestamptz:
      return same('TIMESTAMPTZ');
    case OID.interval:
      // DuckDB reads "N months N days N microseconds" exactly; PostgreSQL's own
      // interval output ("-1 days +02:00:00") it does not.
      return {
        name: f.name,
        pgExpr: `(extract(year from ${q}) * 12 + extract(month from ${q}))::bigint || ' months ' || extract(day from ${q})::bigint || ' days ' || (extract(epoch from (${q} - date_trunc('day', ${q}))) * 1000000)::bigint || ' microseconds'`,
        csvType: 'VARCHAR',
        duckExpr: `CAST(${d} AS INTERVAL)`,
        duckType: 'INTERVAL',
      };
    case OID.uuid:
      return same('UUID');
    case OID.json:
    case OID.jsonb:
      return { name: f.name, pgExpr: `${q}::text`, csvType: 'VARCHAR', duckExpr: `CAST(${d} AS JSON)`, duckType: 'JSON' };
    case OID.bytea:
      return { name: f.name, pgExpr: `encode(${q}, 'hex')`, csvType: 'VARCHAR', duckExpr: `unhex(${d})`, duckType: 'BLOB' };
    case OID.text:
    case OID.varchar:
    case OID.bpchar:
    case OID.char:
    case OID.name:
      return same('VARCHAR');
    default:
      if (f.category === 'A' || f.category === 'C') {
        return { name: f.name, pgExpr: `to_jsonb(${q})::text`, csvType: 'VARCHAR', duckExpr: `CAST(${d} AS JSON)`, duckType: 'JSON' };
      }
      return { name: f.name, pgExpr: `${q}::text`, csvType: 'VARCHAR', duckExpr: d, duckType: 'VARCHAR' };
  }
}
