import { useEffect, useState, type JSX } from 'react';
import { nodeNameProblem, renameNode } from '../../shared/pipeline/rename';
import { useDoc } from '../document/doc-store';
import { useUi } from '../ui/ui-store';

/**
 * The node's name, which downstream SQL uses as a table name. A rename is committed on
 * Enter or when the field loses focus, and rewrites those references in one undo step.
 */
export function NameField({ nodeId, name }: { nodeId: string; name: string }): JSX.Element {
  const [text, setText] = useState(name);
  useEffect(() => setText(name), [name, nodeId]);
  const doc = useDoc((s) => s.doc);
  const problem = text === name || !doc ? null : nodeNameProblem(doc, nodeId, text);

  const commit = () => {
    const s = useDoc.getState();
    if (!s.doc || text === name) return;
    if (nodeNameProblem(s.doc, nodeId, text)) return;
    const { pipeline, rewritten } = renameNode(s.doc, nodeId, text);
    s.apply(() => pipeline);
    if (rewritten.length) useUi.getState().notify('info', `Renamed "${name}" to "${text}"; updated the SQL of ${rewritten.map((r) => `"${r}"`).join(', ')}.`);
  };

  return (
    <div className="field" data-field="name">
      <div className="field-label">
        <label htmlFor="node-name">Name</label>
        <span className="hint">the table name other nodes' SQL uses</span>
      </div>
      <input
        id="node-name"
        type="text"
        className={`name-input${problem ? ' invalid' : ''}`}
        value={text}
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setText(name);
        }}
        data-testid="inspector-name"
        aria-invalid={!!problem}
      />
      {problem && <div className="field-issue" role="alert">{problem}</div>}
    </div>
  );
}
