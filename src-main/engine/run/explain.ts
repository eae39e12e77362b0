import { randomBytes } from 'node:crypto';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { WeirError } from '../../../shared/errors';
import { inputTracePlan, lineagePlan, type Explanation, type ExplainInput, type ExplainRows, type ExplainStep, type Json, type RestrictPair } from '../../../shared/lineage';
import { checkConfig, failingRowsSql, ruleNames, type CheckRule } from '../../../shared/nodes/check';
import { ruleRequirement } from '../../../shared/nodes/check/describe-rule';
import { nodeKindSpec } from '../../../shared/nodes/registry';
import { upstreamOf } from '../../../shared/pipeline/graph';
import type { Pipeline, PipelineNode } from '../../../shared/pipeline/schema';
import type { EngineContext } from '../context';
import { ident } from '../duckdb/sql';
import { boundColumns } from '../lineage/bound-columns';
import { parseQueries } from '../lineage/parse-sql';
import { inSession, type NodeRequest, type PreviewSession } from './preview-session';
import { jsonSafe } from './preview';

/** What `engine.explain()` takes: a preview request for the node, and the row as the preview showed it. */
export interface ExplainRequest extends NodeRequest {
  /** The row's values by column name, as the preview carried them (untrusted: only ever bound). */
  row: Record<string, unknown>;
  /** The cell's column, named back in the answer. */
  column?: string;
  /** Rows kept per input (default 100). */
  cap?: number;
}

const DEFAULT_CAP = 100;
/** Types whose values come back from JSON as text DuckDB reads again exactly (dates and times as ISO text). */
const TIME_TYPE = /^(DATE|TIME|TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE)$/;
const NESTED_TYPE = /(\[\]|^STRUCT|^MAP|^UNION|^LIST|^BLOB|^BIT)/;

/**
 * Traces one row of a node back to the rows of every input it was made from, step by step up
 * the graph, in DuckDB (shared/lineage/explain-plan.ts says which columns restrict which
 * input). The first step matches the row's own values (bound, cast to the column's type);
 * each further step matches the rows the step before found, as a subquery: the input's rows
 * whose columns equal (IS NOT DISTINCT FROM) those rows'. Each input keeps at most `cap` rows
 * and says how many matched. A check node's failing rows per rule among its matched rows come
 * with it. Nodes are made as a preview makes them, in `session` when given.
 */
export async function explainRow(engine: EngineContext, req: ExplainRequest, session?: PreviewSession): Promise<Explanation> {
  const cap = Math.max(1, Math.min(req.cap ?? DEFAULT_CAP, 1000));
  const target = req.pipeline.nodes.find((n) => n.id === req.nodeId);
  if (!target) throw new WeirError('usage', `no node with id "${req.nodeId}"`);
  return inSession(engine, req, session, async (conn, relation) => {
    // A sink's preview is its input's rows: the explanation starts there.
    const shown = req.pipeline.nodes.find((n) => n.name.toLowerCase() === relation.toLowerCase()) ?? target;
    return explainIn(conn, req.pipeline, shown, req.row, req.column ?? null, cap);
  });
}

interface Walk {
  node: PipelineNode;
  depth: number;
  /** The temporary table holding this node's explained rows (null: the first step, matched on the row's bound values). */
  rows: string | null;
}

async function explainIn(conn: DuckDBConnection, pipeline: Pipeline, start: PipelineNode, row: Record<string, unknown>, column: string | null, cap: number): Promise<Explanation> {
  const byId = new Map(pipeline.nodes.map((n) => [n.id, n]));
  const reach = new Set([...upstreamOf(pipeline.nodes, start.id), start.id]);
  const plan = lineagePlan(pipeline);
  const queries = [...plan].filter(([id, how]) => reach.has(id) && how.type === 'query') as [string, { type: 'query'; sql: string }][];
  const parsed = await parseQueries(conn, queries.map(([, q]) => q.sql));
  const trees = new Map<string, Json>(queries.map(([id], i) => [id, parsed[i] ?? null]));
  const bound = await boundColumns(conn);
  const columnsOf = (n: PipelineNode) => bound.get(n.name.toLowerCase()) ?? [];

  const matched: Record<string, unknown> = {};
  const steps: ExplainStep[] = [];
  const explained = new Set<string>([start.id]);
  const queue: Walk[] = [{ node: start, depth: 1, rows: null }];
  // Each input's matched rows are kept in a temporary table (not in the session's catalog, so
  // never taken for a node): the next step matches against it, and the count reads it, rather
  // than computing every step before it again.
  const temps: string[] = [];
  const tag = randomBytes(4).toString('hex');
  try {
    while (queue.length) {
      const at = queue.shift()!;
      const inputs = at.node.inputs.map((id) => byId.get(id)).filter((n): n is PipelineNode => !!n);
      const how = plan.get(at.node.id)!;
      const own = columnsOf(at.node);
      const traces = inputTracePlan(how, trees.get(at.node.id) ?? null, inputs.map((n) => ({ name: n.name, columns: columnsOf(n).map((c) => c.name) })), own.map((c) => c.name));
      const step: ExplainStep = { nodeId: at.node.id, node: at.node.name, kind: at.node.kind, depth: at.depth, inputs: [] };
      steps.push(step);
      for (const [k, trace] of traces.entries()) {
        const input = inputs[k]!;
        const entry: ExplainInput = { nodeId: input.id, node: input.name, by: trace.pairs };
        step.inputs.push(entry);
        if (trace.untraceable) {
          entry.untraceable = trace.untraceable;
          continue;
        }
        let where: string;
        const values: DuckDBValue[] = [];
        if (at.rows === null) {
          const conds = firstStepConditions(trace.pairs, own, row, values, matched);
          if (!conds.length) {
            entry.untraceable = `the row's values on ${trace.pairs.map((p) => p.output).join(', ')} cannot be matched (missing from the row, or of a type that cannot be compared)`;
            continue;
          }
          where = conds.join(' AND ');
        } else {
          where = `EXISTS (SELECT 1 FROM temp.main.${ident(at.rows)} AS p WHERE ${trace.pairs.map((p) => `x.${ident(p.column)} IS NOT DISTINCT FROM p.${ident(p.output)}`).join(' AND ')})`;
        }
        const table = `weir_explain_${tag}_${temps.length + 1}`;
        temps.push(table);
        await conn.run(`CREATE TEMP TABLE ${ident(table)} AS SELECT x.* FROM ${ident(input.name)} AS x WHERE ${where}`, values);
        entry.rows = await capped(conn, `SELECT * FROM temp.main.${ident(table)}`, cap);
        if (nodeKindSpec(input.kind)?.category === 'check') entry.checks = await checkFailures(conn, input, pipeline, table, columnsOf(input).map((c) => c.name), cap);
        if (!input.inputs.length) entry.stop = 'a source: nothing is upstream of it';
        else if (explained.has(input.id)) entry.stop = 'its rows are explained at another step';
        else {
          explained.add(input.id);
          queue.push({ node: input, depth: at.depth + 1, rows: table });
        }
      }
    }
  } finally {
    for (const t of temps) await conn.run(`DROP TABLE IF EXISTS temp.main.${ident(t)}`).catch(() => undefined);
  }
  return { nodeId: start.id, node: start.name, column, matched, cap, steps };
}

/** `x."c" IS NOT DISTINCT FROM $n` for each pair whose value the row has, bound and cast to the node's column type. */
function firstStepConditions(pairs: RestrictPair[], own: readonly { name: string; type: string }[], row: Record<string, unknown>, values: DuckDBValue[], matched: Record<string, unknown>): string[] {
  const conds: string[] = [];
  for (const p of pairs) {
    const type = own.find((c) => c.name === p.output)?.type ?? '';
    if (!Object.hasOwn(row, p.output) || NESTED_TYPE.test(type) || !/^[A-Z][A-Z0-9_ (),]*$/.test(type)) continue;
    const v = row[p.output];
    if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    matched[p.output] = v;
    if (v !== null) values.push(v);
    const param = `$${values.length}`;
    // JSON carries times as ISO text ending in Z (UTC): read back as the same timestamp. A value
    // that does not convert to the column's type matches no row (it is not the row's value).
    const value = TIME_TYPE.test(type) && typeof v === 'string' ? `TRY_CAST(TRY_CAST(replace(CAST(${param} AS VARCHAR), 'Z', '') AS TIMESTAMP) AS ${type})` : `TRY_CAST(${param} AS ${type})`;
    conds.push(v === null ? `x.${ident(p.column)} IS NULL` : `x.${ident(p.column)} = ${value}`);
  }
  return conds;
}

async function capped(conn: DuckDBConnection, sql: string, cap: number): Promise<ExplainRows> {
  const reader = await conn.runAndReadAll(`SELECT * FROM (${sql}) LIMIT ${cap + 1}`);
  const types = reader.columnTypes().map(String);
  const names = reader.columnNames();
  let rows = reader.getRowsJS().map((r) => r.map(jsonSafe));
  let total = rows.length;
  const over = rows.length > cap;
  if (over) {
    rows = rows.slice(0, cap);
    const count = await conn.runAndReadAll(`SELECT count(*)::BIGINT FROM (${sql})`);
    total = Number(count.getRowsJS()[0]?.[0] ?? total);
  }
  return { columns: names.map((name, i) => ({ name, type: types[i] ?? 'UNKNOWN' })), rows, total, capped: over };
}

/** Each rule's failing rows among the check node's explained rows (`rows`: the temporary table holding them). */
async function checkFailures(conn: DuckDBConnection, check: PipelineNode, pipeline: Pipeline, rows: string, columns: string[], cap: number): Promise<ExplainInput['checks']> {
  const parsed = checkConfig.safeParse(check.config);
  const checked = pipeline.nodes.find((n) => n.id === check.inputs[0]);
  if (!parsed.success || !checked || !columns.length) return [];
  const names = ruleNames(parsed.data.rules);
  const out: NonNullable<ExplainInput['checks']> = [];
  for (const [i, rule] of parsed.data.rules.entries()) {
    if (rule.type === 'row_count' || rule.type === 'query') continue;
    const failing = failingRowsSql(rule as Exclude<CheckRule, { type: 'row_count' | 'query' }>, checked.name);
    const sql = `SELECT f.* FROM (${failing}) AS f WHERE EXISTS (SELECT 1 FROM temp.main.${ident(rows)} AS p WHERE ${columns.map((c) => `f.${ident(c)} IS NOT DISTINCT FROM p.${ident(c)}`).join(' AND ')})`;
    out.push({ rule: names[i]!, severity: rule.severity, requirement: ruleRequirement(rule), ...(await capped(conn, sql, cap)) });
  }
  return out;
}
