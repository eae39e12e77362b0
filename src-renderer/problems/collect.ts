import type { ValidationIssue } from '../../shared/errors';
import { checkConfig, ruleNames } from '../../shared/nodes/check/config';
import type { Pipeline, PipelineNode } from '../../shared/pipeline/schema';
import type { CheckResult } from '../../shared/run/record';
import { issueProblems, nodeProblem, pipelineProblem, type Problem } from './problem';

/** What the preview panel last said: a failure of the node on show (or of the node it names). */
export interface PreviewFacts {
  nodeId: string | null;
  error: string | null;
  /** The node the engine said failed (an upstream one, maybe); null when it did not say. */
  errorNodeId: string | null;
  /** The preview was refused for a problem already listed (the engine's or the designer's own). */
  refused: boolean;
  /** False once what the failed node is computed from has been edited: the failure is old news. */
  current: boolean;
}

/** A node of the run on show, as the run store keeps it. */
export interface RunNodeFacts {
  status: string;
  message: string | null;
  line: number | null;
  checks: CheckResult[] | null;
}

export interface RunFacts {
  /** The pipeline file the run is of. */
  path: string | null;
  nodes: Readonly<Record<string, RunNodeFacts>>;
  /** Why the run could not start. */
  error: string | null;
}

export interface MarkerFacts {
  line: number;
  message: string;
}

export interface ProblemFacts {
  doc: Pipeline;
  /** The open file. */
  path: string | null;
  /** Every validation issue (the designer's, the engine's and the column problems, merged), and the designer's own. */
  issues: readonly ValidationIssue[];
  localIssues: readonly ValidationIssue[];
  /** Input columns that do not exist (column-problems.ts). */
  columns: readonly Problem[];
  preview: PreviewFacts;
  run: RunFacts;
  /** SQL errors by node id, for the open file. */
  markers: Readonly<Record<string, MarkerFacts>>;
}

/** Where a node's SQL error is: its own query for a SQL node, else the node as a whole (generated SQL). */
const sqlField = (node: PipelineNode, line: number | null | undefined) => (line && node.kind === 'sql' ? 'config.sql' : '');

function checkProblems(node: PipelineNode, results: readonly CheckResult[]): Problem[] {
  const parsed = checkConfig.safeParse(node.config);
  const names = parsed.success ? ruleNames(parsed.data.rules) : [];
  return results
    .filter((c) => !c.passed)
    .map((c) => {
      const at = names.indexOf(c.rule);
      const rows = `${c.failingRows.toLocaleString('en-US')} failing row${c.failingRows === 1 ? '' : 's'}`;
      const what = c.message ?? rows;
      return nodeProblem(node, 'check', at < 0 ? '' : `config.rules[${at}]`, `rule "${c.rule}" failed: ${what}`, { severity: c.severity === 'warn' ? 'warning' : 'error' });
    });
}

/**
 * Every problem of the open pipeline, in the order a user fixes them: what stops anything
 * from running (validation, the engine's refusals, missing columns), then what the last
 * preview and run found. A failure that only repeats a problem already listed for its node
 * (a preview refused for it) is left out, so the count is what there is to fix.
 */
export function collectProblems(f: ProblemFacts): Problem[] {
  const byId = new Map(f.doc.nodes.map((n) => [n.id, n]));
  // The document store joins the column problems to its issues (for the cards): listed once, as what they are.
  const place = (p: Problem) => `${p.nodeId ?? ''}\u0000${p.field}\u0000${p.message}`;
  const columnKeys = new Set(f.columns.map(place));
  const out = [...issueProblems(f.doc, f.issues, f.localIssues).filter((p) => !columnKeys.has(place(p))), ...f.columns];
  const blocked = new Set(out.flatMap((p) => (p.nodeId ? [p.nodeId] : [])));
  const failed = new Set<string>();

  const pv = f.preview;
  if (pv.error && !pv.refused && pv.current) {
    const node = byId.get(pv.errorNodeId ?? pv.nodeId ?? '');
    if (!node) out.push(pipelineProblem('preview', '', pv.error));
    else if (!blocked.has(node.id)) {
      const marker = f.markers[node.id];
      out.push(nodeProblem(node, 'preview', sqlField(node, marker?.line), pv.error, { line: marker?.line }));
      failed.add(node.id);
    }
  }

  if (f.run.path === f.path) {
    if (f.run.error) out.push(pipelineProblem('run', '', `Run failed: ${f.run.error}`));
    for (const node of f.doc.nodes) {
      const r = f.run.nodes[node.id];
      if (!r) continue;
      const checks = r.checks ? checkProblems(node, r.checks) : [];
      out.push(...checks);
      if (r.status === 'failed' && !checks.length) {
        out.push(nodeProblem(node, 'run', sqlField(node, r.line), r.message ?? 'failed', { line: r.line ?? undefined }));
        failed.add(node.id);
      }
    }
  }

  for (const [id, m] of Object.entries(f.markers)) {
    const node = byId.get(id);
    if (node && !failed.has(id) && !blocked.has(id)) out.push(nodeProblem(node, 'sql', sqlField(node, m.line) || 'config', m.message, { line: m.line }));
  }

  const seen = new Set<string>();
  return out.filter((p) => {
    const k = `${p.nodeId ?? ''}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** How many errors and warnings. */
export function tally(problems: readonly Problem[]): { errors: number; warnings: number } {
  let warnings = 0;
  for (const p of problems) if (p.severity === 'warning') warnings++;
  return { errors: problems.length - warnings, warnings };
}
