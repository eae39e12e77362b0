import type { JSX } from 'react';
import { Palette } from '../canvas/Palette';
import { openPipeline } from './commands';
import { useDoc } from '../document/doc-store';
import { GIT_MARK, useGit } from '../workspace/git-store';
import { useUi } from '../ui/ui-store';
import { useWorkspace } from '../workspace/workspace-store';
import { Icon } from './Icon';
import './sidebar.css';

function Pipelines(): JSX.Element | null {
  const workspace = useWorkspace((s) => s.workspace);
  const current = useDoc((s) => s.path);
  // The open pipeline as it is in the editor (as the top bar names it), not as last saved:
  // a node added showed "17" beside 18 cards until the file was saved.
  const openName = useDoc((s) => s.doc?.name);
  const openNodes = useDoc((s) => s.doc?.nodes.length);
  const gitState = useGit((s) => s.byPath);
  if (!workspace) return null;
  return (
    <section className="pipelines">
      <div className="side-head">
        <h3>Pipelines</h3>
        <button type="button" className="icon-btn" onClick={() => useUi.getState().openDialog('newPipeline')} title="New pipeline" aria-label="New pipeline" data-testid="new-pipeline">
          <Icon name="plus" size={14} />
        </button>
      </div>
      {workspace.pipelines.length === 0 && <p className="muted small pad">No pipelines yet. Create one with +.</p>}
      <ul>
        {workspace.pipelines.map((listed) => {
          const p = listed.path === current && !listed.error && openName !== undefined ? { ...listed, name: openName, nodes: openNodes ?? listed.nodes } : listed;
          return (
            <li key={p.path}>
              <button
                type="button"
                className={`pipeline-item${p.path === current ? ' active' : ''}${p.error ? ' broken' : ''}`}
                onClick={() => void openPipeline(p.path)}
                title={p.error ?? p.path}
                data-testid="pipeline-item"
                data-path={p.path}
              >
                <Icon name="file" size={14} />
                <span className="grow">{p.name}</span>
                {p.error ? <span className="badge warn">!</span> : <span className="muted small">{p.nodes}</span>}
                <GitMark state={gitState.get(p.path)} />
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** N / M / ✓ beside a pipeline when the workspace is a git repository. */
function GitMark({ state }: { state: ReturnType<ReturnType<typeof useGit.getState>['byPath']['get']> }): JSX.Element | null {
  if (!state) return null;
  const m = GIT_MARK[state];
  return (
    <span className={`git-mark git-${state}`} title={m.title} data-testid="git-mark" data-state={state}>
      {m.mark}
    </span>
  );
}

export function Sidebar(): JSX.Element {
  return (
    <aside className="sidebar" aria-label="Workspace and palette">
      <Pipelines />
      <Palette />
    </aside>
  );
}
