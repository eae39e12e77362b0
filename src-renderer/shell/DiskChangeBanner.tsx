import { useMemo, type JSX } from 'react';
import { diffPipelines } from '../../shared/pipeline/semantic-diff';
import { keepMine, useDiskChange } from '../document/disk-change';
import { useDoc } from '../document/doc-store';
import { DiffView } from '../git/ChangesPanel';
import { reloadFromDisk } from './commands';
import './disk-change.css';

/**
 * The open pipeline's file changed on disk while it has unsaved changes here (or a save found
 * it so): Reload takes the file as it is now (the edits stay in the draft, offered back by the
 * recovery banner), Keep mine keeps the edits and lets the next save write over the file. The
 * semantic diff says what keeping mine would change in the file as it is on disk.
 */
export function DiskChangeBanner(): JSX.Element | null {
  const change = useDiskChange((s) => s.change);
  const doc = useDoc((s) => s.doc);
  const diff = useMemo(() => (change?.disk && doc ? diffPipelines(change.disk.pipeline, doc) : null), [change, doc]);
  if (!change || !doc) return null;
  const what = change.sha256 === null ? 'was deleted' : change.error ? 'changed and can no longer be read as a pipeline' : 'changed';
  return (
    <div className="disk-change" role="alert" data-testid="disk-change" data-state={change.sha256 === null ? 'deleted' : 'changed'}>
      <div className="banner">
        <span>
          <b>{change.path}</b> {what} on disk, outside Weir{change.error ? ` (${change.error})` : ''}, while you have unsaved changes here.
        </span>
        <span className="spacer" />
        {change.disk && (
          <button type="button" className="btn primary small" onClick={() => void reloadFromDisk()} data-testid="disk-reload" title="Show the file as it is on disk now; your edits stay in the draft, offered back to restore">
            Reload
          </button>
        )}
        <button type="button" className="btn small" onClick={keepMine} data-testid="disk-keep-mine" title={change.sha256 === null ? 'Keep your version; Save writes the file again' : 'Keep your version; Save writes it over the file on disk'}>
          Keep mine
        </button>
      </div>
      {diff && (
        <details className="disk-change-diff" open data-testid="disk-change-diff">
          <summary>
            {diff.identical ? 'Your version and the file on disk are the same.' : 'What your version changes compared with the file on disk'}
          </summary>
          {!diff.identical && <DiffView diff={diff} />}
        </details>
      )}
    </div>
  );
}
