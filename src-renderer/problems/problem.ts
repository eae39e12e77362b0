import type { ValidationIssue } from '../../shared/errors';
import { issuePlace, nodeFieldLabel } from '../../shared/pipeline/issue-place';
import type { Pipeline, PipelineNode } from '../../shared/pipeline/schema';

/**
 * One problem of the open pipeline, whatever found it: the designer's own checks, the engine's
 * (what a run would refuse), an input column that does not exist, a failed preview, SQL that
 * DuckDB refused, a failed run or a failed check. Each names its node (by name, never by
 * position), the field inside it and what is wrong in words, so the list, the status bar and
 * a click that selects the node and focuses the field all work the same for every kind.
 */
export type ProblemSource = 'validation' | 'engine' | 'columns' | 'preview' | 'sql' | 'run' | 'check';

export interface Problem {
  /** Stable while the problem lasts: a list key. */
  key: string;
  source: ProblemSource;
  severity: 'error' | 'warning';
  nodeId: string | null;
  nodeName: string | null;
  /**
   * Where inside the node, as a JSON path (`config.aggregates[0].column`, `config.sql`,
   * `inputs`, `name`); '' for the node as a whole; for a problem about no node, the
   * pipeline's path ('' for the pipeline, `params.batch_id`).
   */
  field: string;
  /** The field as the inspector labels it (`Aggregates #1 › Column`); null for none. */
  fieldLabel: string | null;
  /** What is wrong, in words. */
  message: string;
  /** A SQL line DuckDB pointed at. */
  line?: number;
}

const problem = (p: Omit<Problem, 'key'>): Problem => ({ ...p, key: `${p.source}\u0000${p.nodeId ?? ''}\u0000${p.field}\u0000${p.message}` });

/** A problem about one node's field. */
export function nodeProblem(node: PipelineNode, source: ProblemSource, field: string, message: string, extra: Partial<Pick<Problem, 'severity' | 'line'>> = {}): Problem {
  return problem({ source, severity: extra.severity ?? 'error', nodeId: node.id, nodeName: node.name, field, fieldLabel: nodeFieldLabel(node, field), message, ...(extra.line ? { line: extra.line } : {}) });
}

/** A problem about the pipeline as a whole (a parameter, the environment, a run that could not start). */
export function pipelineProblem(source: ProblemSource, field: string, message: string): Problem {
  return problem({ source, severity: 'error', nodeId: null, nodeName: null, field, fieldLabel: null, message });
}

/**
 * The document's validation issues (its own checks and the engine's, as doc-store merged
 * them) as problems: `nodes[21].config.aggregates[0].column` becomes the node, its field and
 * that field's label. Those not in `local` (the designer's own) came from the engine.
 */
export function issueProblems(doc: Pipeline, issues: readonly ValidationIssue[], local: readonly ValidationIssue[]): Problem[] {
  const mine = new Set(local.map((i) => `${i.path}\u0000${i.message}`));
  return issues.map((issue) => {
    const source: ProblemSource = mine.has(`${issue.path}\u0000${issue.message}`) ? 'validation' : 'engine';
    const { node, field } = issuePlace(doc, issue.path);
    return node ? nodeProblem(node, source, field, issue.message) : pipelineProblem(source, field, issue.message);
  });
}
