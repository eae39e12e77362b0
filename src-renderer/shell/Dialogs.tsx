import { useEffect, useState, type JSX } from 'react';
import type { FolderListing } from '../../shared/api/schemas';
import { identifier } from '../../shared/nodes/common';
import { api } from '../api/client';
import { newPipeline, openSample, openWorkspace, saveAs } from './commands';
import { useDoc } from '../document/doc-store';
import { useUi } from '../ui/ui-store';
import { useWorkspace } from '../workspace/workspace-store';
import { Modal } from './Modal';
import { SHORTCUTS, shortcutLabel } from './shortcuts';

const close = () => useUi.getState().openDialog(null);

/** The designer's own folder chooser: the browser shell has no native one. */
function OpenWorkspaceDialog(): JSX.Element {
  const current = useWorkspace((s) => s.workspace?.root);
  const recent = useWorkspace((s) => s.recent);
  const [path, setPath] = useState(current ?? '');
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const browse = (p?: string) =>
    api.call('fs.listFolders', p ? { path: p } : {}).then(
      (l) => {
        setListing(l);
        setPath(l.path);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void browse(current ?? undefined);
  }, [current]);
  const open = async (root: string) => {
    close();
    await openWorkspace(root);
  };
  return (
    <Modal title="Open workspace" wide>
      <p className="muted small">A workspace is a folder (usually a git repository) holding pipelines (*.weir.json) and weir.workspace.json.</p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void open(path);
        }}
      >
        <input className="grow" value={path} onChange={(e) => setPath(e.target.value)} aria-label="Folder" spellCheck={false} data-testid="workspace-path" />
        <button type="button" className="btn" onClick={() => void browse(path)}>
          Browse
        </button>
        <button type="submit" className="btn primary">
          Open
        </button>
      </form>
      {error && <div className="field-issue">{error}</div>}
      {listing && (
        <ul className="folder-list">
          {listing.parent && (
            <li>
              <button type="button" onClick={() => void browse(listing.parent ?? undefined)}>
                ..
              </button>
            </li>
          )}
          {listing.folders.map((f) => (
            <li key={f.path}>
              <button type="button" onClick={() => void browse(f.path)} onDoubleClick={() => void open(f.path)}>
                {f.name}
                {f.isWorkspace && <span className="badge">workspace</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {recent.length > 0 && (
        <>
          <h4 className="section-title">Recent</h4>
          <ul className="folder-list">
            {recent.map((r) => (
              <li key={r}>
                <button type="button" onClick={() => void open(r)}>
                  {r}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="modal-actions">
        <button
          type="button"
          className="btn ghost"
          onClick={() => {
            close();
            void openSample();
          }}
        >
          Open the sample workspace
        </button>
        <span className="spacer" />
        <button type="button" className="btn" onClick={close}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}

/** A name typed as words ("My first pipeline") as the identifier a pipeline's name must be (my_first_pipeline); null when none comes of it. */
function identifierFor(typed: string): string | null {
  const words = typed
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const name = /^[0-9]/.test(words) ? `p_${words}` : words;
  return name && identifier.safeParse(name).success ? name : null;
}

function NewPipelineDialog(): JSX.Element {
  const [name, setName] = useState('');
  const ok = identifier.safeParse(name);
  const taken = useWorkspace((s) => s.workspace?.pipelines.some((p) => p.path === `pipelines/${name}.weir.json`));
  // In words, with the name that would do ("my first pipeline" was refused in the identifier grammar's terms).
  const suggestion = name !== '' && !ok.success ? identifierFor(name) : null;
  const problem =
    name === ''
      ? null
      : !ok.success
        ? "A pipeline's name is how SQL and its file name it: letters, digits and _ only, not starting with a digit."
        : taken
          ? 'a pipeline of that name exists'
          : null;
  return (
    <Modal title="New pipeline">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!name || problem) return;
          close();
          void newPipeline(name);
        }}
      >
        <label htmlFor="new-name">Name</label>
        <input id="new-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="batch_release" spellCheck={false} data-testid="new-pipeline-name" />
        {!problem && <div className="hint">Saved as pipelines/{name || 'name'}.weir.json</div>}
        {problem && (
          <div className="field-issue" data-testid="new-pipeline-problem">
            {problem}
            {suggestion && (
              <>
                {' '}
                <button type="button" className="link" onClick={() => setName(suggestion)} data-testid="new-pipeline-suggestion">
                  Use {suggestion}
                </button>
              </>
            )}
          </div>
        )}
        <div className="modal-actions">
          <span className="spacer" />
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={!name || !!problem} data-testid="create-pipeline">
            Create
          </button>
        </div>
      </form>
    </Modal>
  );
}

function SaveAsDialog(): JSX.Element {
  const name = useDoc((s) => s.doc?.name ?? 'pipeline');
  const [path, setPath] = useState(`pipelines/${name}_copy.weir.json`);
  const ok = /^[^/.][^\\]*\.weir\.json$/.test(path) && !path.split('/').includes('..');
  return (
    <Modal title="Save as">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!ok) return;
          close();
          void saveAs(path);
        }}
      >
        <label htmlFor="save-as-path">File in the workspace</label>
        <input id="save-as-path" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
        {!ok && <div className="field-issue">expected a path inside the workspace ending in .weir.json</div>}
        <div className="modal-actions">
          <span className="spacer" />
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn primary" disabled={!ok}>
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}

function ShortcutsDialog(): JSX.Element {
  const seen = new Set<string>();
  const rows = SHORTCUTS.filter((s) => (seen.has(s.label) ? false : (seen.add(s.label), true)));
  return (
    <Modal title="Keyboard shortcuts">
      <table className="shortcuts">
        <tbody>
          {rows.map((s) => (
            <tr key={s.keys}>
              <td>{s.label}</td>
              <td>
                <kbd>{shortcutLabel(s.keys)}</kbd>
              </td>
            </tr>
          ))}
          <tr>
            <td>Copy / cut / paste nodes</td>
            <td>
              <kbd>{shortcutLabel('mod+c')}</kbd> <kbd>{shortcutLabel('mod+x')}</kbd> <kbd>{shortcutLabel('mod+v')}</kbd>
            </td>
          </tr>
          <tr>
            <td>Select several nodes</td>
            <td>
              <kbd>{shortcutLabel('mod')}</kbd>+click, or <kbd>Shift</kbd>+drag a box
            </td>
          </tr>
        </tbody>
      </table>
      <div className="modal-actions">
        <span className="spacer" />
        <button type="button" className="btn primary" onClick={close}>
          Close
        </button>
      </div>
    </Modal>
  );
}

export function Dialogs(): JSX.Element | null {
  const dialog = useUi((s) => s.dialog);
  switch (dialog) {
    case 'openWorkspace':
      return <OpenWorkspaceDialog />;
    case 'newPipeline':
      return <NewPipelineDialog />;
    case 'saveAs':
      return <SaveAsDialog />;
    case 'shortcuts':
      return <ShortcutsDialog />;
    default:
      return null;
  }
}
