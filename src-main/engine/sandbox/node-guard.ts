import type { DuckDBConnection } from '@duckdb/node-api';
import type { ValidationIssue } from '../../../shared/errors';
import { jsonPath } from '../../../shared/errors';
import { nodeKindSpec, sqlFieldsOf } from '../../../shared/nodes/registry';
import type { Pipeline, PipelineNode } from '../../../shared/pipeline/schema';
import { guardSql, guardedText, type GuardProblem, type ParsedTexts } from './query-guard';

export interface NodeSqlFacts {
  issues: ValidationIssue[];
  /** Parameters the node's own SQL reads; null: it may read any (a computed getvariable name). */
  variables: string[] | null;
}

/** `line 3` (1-based) of an offset into the text, or nothing for a one-line text. */
function lineOf(text: string, offset: number | undefined): string {
  if (offset === undefined || !text.includes('\n')) return '';
  return `line ${text.slice(0, offset).split('\n').length}: `;
}

function undeclaredHint(p: GuardProblem, nodeNames: ReadonlyMap<string, string>): string {
  const m = /^reads "([^"]+)", which is not an input of this node$/.exec(p.message);
  if (!m) return p.message;
  const known = nodeNames.get(m[1]!.toLowerCase());
  return known
    ? `${p.message} (did you mean to add ${known} as an input?)`
    : `${p.message}, nor a node of this pipeline`;
}

/**
 * Every SQL text a user typed into one node (its kind's declared SQL fields), checked by the
 * sandbox: one query or expression, reading only the node's inputs. `generated` are the
 * queries the engine builds around them (as they will run), checked too, so that a fragment
 * cannot close the generated query's brackets and start another statement. Issues carry the
 * node's JSON path in the file. `parsed` may hold the texts' trees already (`guardTexts`).
 */
export async function guardNode(
  conn: DuckDBConnection,
  node: PipelineNode,
  index: number,
  config: unknown,
  inputNames: readonly string[],
  nodeNames: ReadonlyMap<string, string>,
  generated: readonly string[] = [],
  parsed?: ParsedTexts,
): Promise<NodeSqlFacts> {
  const allowed = new Set(inputNames.map((n) => n.toLowerCase()));
  const issues: ValidationIssue[] = [];
  let variables: string[] | null = [];
  for (const field of sqlFieldsOf(node.kind, config)) {
    const r = await guardSql(conn, field.text, field.form, allowed, parsed);
    for (const p of r.problems) {
      issues.push({ path: jsonPath(['nodes', index, ...field.path]), message: `node "${node.name}": ${lineOf(field.text, p.offset)}${undeclaredHint(p, nodeNames)}` });
    }
    variables = variables && r.variables ? [...variables, ...r.variables] : null;
  }
  // Parameters a kind reads outside SQL (an http source's request templates) count as read too.
  const declared = nodeKindSpec(node.kind)?.params?.(config);
  if (declared && variables) variables = [...variables, ...declared];
  // A generated query only fails where a field broke out of its place: report it once, at the node.
  if (!issues.length) {
    for (const sql of generated) {
      const r = await guardSql(conn, sql, 'query', allowed, parsed);
      const first = r.problems[0];
      if (first) {
        issues.push({ path: jsonPath(['nodes', index, 'config']), message: `node "${node.name}": the SQL generated from its config ${undeclaredHint(first, nodeNames)}` });
        break;
      }
    }
  }
  return { issues, variables: variables ? [...new Set(variables)].sort() : null };
}

/** The texts `guardNode` has DuckDB parse for a node, so that a caller can parse many nodes' at once (`parseTexts`). */
export function guardTexts(node: PipelineNode, config: unknown, generated: readonly string[] = []): string[] {
  return [...sqlFieldsOf(node.kind, config).map((f) => guardedText(f.text, f.form)), ...generated];
}

/** Lower-cased node names to their spelling, for "did you mean to add X as an input?". */
export function nodeNameIndex(pipeline: Pipeline): Map<string, string> {
  return new Map(pipeline.nodes.map((n) => [n.name.toLowerCase(), n.name]));
}
