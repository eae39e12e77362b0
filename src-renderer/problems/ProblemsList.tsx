import type { JSX } from 'react';
import type { ValidationIssue } from '../../shared/errors';
import type { Pipeline, PipelineNode } from '../../shared/pipeline/schema';
import { canvasControl } from '../canvas/canvas-control';
import { useDoc } from '../document/doc-store';
import './problems.css';

const nodeOf = (doc: Pipeline | null, issue: ValidationIssue): PipelineNode | undefined => {
  const m = /^nodes\[(\d+)\]/.exec(issue.path);
  return m && doc ? doc.nodes[Number(m[1])] : undefined;
};

/** Selects the node a problem is about and brings its card into view. */
function pick(nodeId: string): void {
  useDoc.getState().setSelection([nodeId]);
  canvasControl()?.reveal(nodeId);
}

/**
 * Every problem of the open pipeline, the designer's own and the engine's (what a run would
 * refuse), one per line; one about a node names it and selects it when clicked.
 */
export function ProblemsList({ testId, onPick }: { testId: string; onPick?: () => void }): JSX.Element {
  const issues = useDoc((s) => s.issues);
  const doc = useDoc((s) => s.doc);
  return (
    <ul className="issues" data-testid={testId}>
      {issues.map((issue) => {
        const node = nodeOf(doc, issue);
        const text = (
          <>
            <code className="issue-where">{node ? node.name : issue.path || 'pipeline'}</code> <span className="issue-message">{issue.message}</span>
          </>
        );
        return (
          <li key={issue.path + issue.message} data-node-id={node?.id} title={issue.path || undefined}>
            {node ? (
              <button
                type="button"
                className="issue-link"
                onClick={() => {
                  pick(node.id);
                  onPick?.();
                }}
              >
                {text}
              </button>
            ) : (
              text
            )}
          </li>
        );
      })}
    </ul>
  );
}
