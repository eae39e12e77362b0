import type { DuckDBConnection } from '@duckdb/node-api';
import { failingRowsSql, ruleColumns, ruleMessage, rowCountSql, type CheckRule } from '../../../../shared/nodes/check';
import { WeirError } from '../../../../shared/errors';
import type { CheckResult } from '../../../../shared/run/record';
import { describeDuckdbError, isInterrupt } from '../../duckdb/sql-error';

/** How many failing rows a result keeps: enough to name the batches, small enough for the record. */
export const SAMPLE_ROWS = 5;
const MAX_TEXT = 200;

function trimValue(v: unknown): unknown {
  if (typeof v === 'string' && v.length > MAX_TEXT) return `${v.slice(0, MAX_TEXT)}…`;
  return v;
}

async function scalar(conn: DuckDBConnection, sql: string): Promise<number> {
  const reader = await conn.runAndReadAll(sql);
  const [row] = reader.getRowsJS();
  return Number(row?.[0] ?? 0);
}

/** Failing rows sorted by every column, so the same data gives the same sample in every run. */
async function sampleRows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  let reader;
  try {
    reader = await conn.runAndReadAll(`SELECT * FROM (\n${sql}\n) ORDER BY ALL LIMIT ${SAMPLE_ROWS}`);
  } catch (e) {
    if (isInterrupt(e)) throw e;
    // Some column types cannot be ordered; an unordered sample is better than none.
    reader = await conn.runAndReadAll(`SELECT * FROM (\n${sql}\n) LIMIT ${SAMPLE_ROWS}`);
  }
  return reader.getRowObjectsJson().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, trimValue(v)])));
}

async function measure(rule: CheckRule, conn: DuckDBConnection, checked: string): Promise<{ failing: number; sample: Record<string, unknown>[]; observed?: number }> {
  if (rule.type === 'row_count') {
    const n = await scalar(conn, rowCountSql(rule, checked));
    const ok = (rule.min === undefined || n >= rule.min) && (rule.max === undefined || n <= rule.max);
    // A table-level test fails with one row, as dbt counts it.
    return ok ? { failing: 0, sample: [], observed: n } : { failing: 1, sample: [{ row_count: n, min: rule.min ?? null, max: rule.max ?? null }], observed: n };
  }
  const sql = failingRowsSql(rule, checked);
  const failing = await scalar(conn, `SELECT count(*)::BIGINT FROM (\n${sql}\n)`);
  return { failing, sample: failing ? await sampleRows(conn, sql) : [] };
}

/** Runs one rule against the checked relation; an SQL error names the node and the rule. */
export async function evaluateRule(args: { rule: CheckRule; name: string; conn: DuckDBConnection; checked: string; nodeName: string }): Promise<CheckResult> {
  const { rule, name } = args;
  let m: Awaited<ReturnType<typeof measure>>;
  try {
    m = await measure(rule, args.conn, args.checked);
  } catch (e) {
    if (isInterrupt(e)) throw e;
    throw new WeirError('node', `rule "${name}": ${describeDuckdbError(e).message}`, { nodeName: args.nodeName });
  }
  const columns = ruleColumns(rule);
  return {
    rule: name,
    type: rule.type,
    severity: rule.severity,
    passed: m.failing === 0,
    failingRows: m.failing,
    sample: m.sample,
    ...(columns.length ? { columns } : {}),
    ...(rule.description ? { description: rule.description } : {}),
    message: ruleMessage(rule, m.failing, m.observed),
  };
}
