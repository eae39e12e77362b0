import { useCallback, useMemo, type JSX } from 'react';
import { nodeKindSpec } from '../../shared/nodes/registry';
import { updateNode } from '../../shared/pipeline/doc-edits';
import { useDoc } from '../document/doc-store';
import { useRun } from '../run/run-store';
import { RunScopeButtons } from '../run/RunScopeButtons';
import { runScoped } from '../shell/commands';
import { CategoryIcon } from '../canvas/kind-style';
import { ConfigForm } from './ConfigForm';
import { customForms } from './forms';
import { NameField } from './NameField';
import { useColumnIssues } from '../problems/use-problems';
import { PipelineInspector } from './PipelineInspector';
import { formFor, issuesByPath } from './schema-form';
import './inspector.css';

function NodeInspector({ nodeId }: { nodeId: string }): JSX.Element | null {
  const node = useDoc((s) => s.byId.get(nodeId));
  const byId = useDoc((s) => s.byId);
  const graphIssues = useDoc((s) => s.nodeIssues.get(nodeId));
  const engineProblems = useDoc((s) => s.engineProblems);
  const run = useRun((s) => s.nodes[nodeId]);
  const spec = node ? nodeKindSpec(node.kind) : undefined;
  const columnIssues = useColumnIssues(nodeId);
  const issues = useMemo(() => {
    const own = spec && node ? issuesByPath(spec.config, node.config) : new Map<string, string[]>();
    // Columns the inputs do not have (a check's column after a rename upstream), under their fields too.
    for (const [path, messages] of columnIssues) own.set(path, [...(own.get(path) ?? []), ...messages]);
    return own;
  }, [spec, node, columnIssues]);
  const onConfig = useCallback(
    (config: Record<string, unknown>) => useDoc.getState().apply((p) => updateNode(p, nodeId, { config }), { coalesce: `config:${nodeId}` }),
    [nodeId],
  );
  if (!node) return null;
  const inputs = node.inputs.map((i) => byId.get(i)?.name ?? i);
  const Custom = customForms[node.kind];
  // The form shows its own fields' schema problems; what the engine refuses (a statement that
  // is not a query, a path out of the workspace) is shown here, whatever field it is about.
  const engineMessages = new Set(engineProblems.filter((p) => p.nodeId === nodeId).map((p) => p.message));
  const otherIssues = (graphIssues ?? []).filter((i) => !i.path.startsWith('config') || engineMessages.has(i.message));
  return (
    <div className="inspector-node" data-testid="inspector" data-node-id={nodeId}>
      <header className="inspector-head">
        {spec && <CategoryIcon category={spec.category} size={16} />}
        <div>
          <div className="inspector-kind">{spec?.label ?? node.kind}</div>
          <div className="muted small">{spec?.summary ?? `unknown kind "${node.kind}"`}</div>
        </div>
      </header>
      <NameField nodeId={nodeId} name={node.name} />
      <div className="field" data-field="description">
        <div className="field-label">
          <label htmlFor="node-description">Description</label>
          <span className="muted"> (optional)</span>
        </div>
        <textarea
          id="node-description"
          rows={2}
          value={node.description ?? ''}
          onChange={(e) => useDoc.getState().apply((p) => updateNode(p, nodeId, { description: e.target.value }), { coalesce: `description:${nodeId}` })}
        />
      </div>
      {spec && spec.inputs.max > 0 && (
        <div className="field" data-field="inputs" tabIndex={-1}>
          <div className="field-label">
            <span>Inputs</span>
          </div>
          <div className="chips">{inputs.length ? inputs.map((n) => <code key={n}>{n}</code>) : <span className="muted">none yet: connect a node to the left port</span>}</div>
        </div>
      )}
      {otherIssues.map((i) => (
        <div className="field-issue" role="alert" key={i.path + i.message}>
          {i.message}
        </div>
      ))}
      <div className="field inspector-run" data-field="run" data-testid="inspector-run">
        <div className="field-label">
          <span>Run part of the pipeline</span>
        </div>
        <div className="chips">
          <RunScopeButtons nodeId={nodeId} onRun={(scope) => void runScoped(nodeId, scope)} />
        </div>
        <div className="hint" data-testid="inspector-run-hint">
          What the part reads comes from the node cache or is made again; only the outputs inside the part publish.
        </div>
      </div>
      {run?.status === 'failed' && run.message && (
        <div className="run-error" role="alert">
          <strong>Failed:</strong> {run.message}
        </div>
      )}
      <h4 className="section-title">Settings</h4>
      {/* `data-field`: where a problem about the settings as a whole (or a field not shown) puts the caret. */}
      <div data-field="config">
        {Custom ? (
          <Custom nodeId={nodeId} config={node.config} onChange={onConfig} inputs={inputs} />
        ) : spec ? (
          <ConfigForm spec={formFor(spec.config)} schema={spec.config} value={node.config} onChange={onConfig} ctx={{ nodeId, issues, tables: inputs }} />
        ) : (
          <p className="muted">This kind is not known to this version of Weir; its settings are kept as they are.</p>
        )}
      </div>
    </div>
  );
}

/** The right-hand panel: the selected node's settings, or the pipeline's when nothing is selected. */
export function Inspector(): JSX.Element {
  const selection = useDoc((s) => s.selection);
  const hasDoc = useDoc((s) => s.doc !== null);
  let body: JSX.Element;
  if (!hasDoc) body = <p className="muted pad">Open a pipeline to edit it.</p>;
  else if (selection.length === 1) body = <NodeInspector key={selection[0]} nodeId={selection[0] as string} />;
  else if (selection.length > 1) body = <p className="muted pad">{selection.length} nodes selected. Drag to move them together; Delete removes them; Ctrl+C copies.</p>;
  else body = <PipelineInspector />;
  return (
    <aside className="inspector" aria-label="Inspector">
      {body}
    </aside>
  );
}
