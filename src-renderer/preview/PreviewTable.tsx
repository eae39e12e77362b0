import type { JSX } from 'react';
import { count, duration } from '../../shared/format';
import { nodeKindSpec } from '../../shared/nodes/registry';
import { useDoc } from '../document/doc-store';
import { countRows, previewNode, PREVIEW_LIMIT, setPreviewView } from './preview-actions';
import { usePreview } from './preview-store';
import { DataGrid } from './grid/DataGrid';
import { ProfileView } from './ProfileView';
import './preview.css';

const n = (x: number) => x.toLocaleString('en-US');

function Meta(): JSX.Element | null {
  const nodeId = usePreview((s) => s.nodeId);
  const result = usePreview((s) => s.result);
  const loading = usePreview((s) => s.loading);
  const counting = usePreview((s) => s.counting);
  const view = usePreview((s) => s.view);
  const profile = usePreview((s) => s.profile);
  const profileLoading = usePreview((s) => s.profileLoading);
  const node = useDoc((s) => (nodeId ? s.byId.get(nodeId) : undefined));
  if (!nodeId) return null;
  const spec = node ? nodeKindSpec(node.kind) : undefined;
  const rowsText = !result
    ? ''
    : result.rowCount !== null
      ? count(result.rowCount, 'row')
      : `first ${count(result.rows.length, 'row')}`;
  return (
    <div className="preview-meta">
      <div className="seg" role="tablist" aria-label="Preview view">
        <button type="button" role="tab" aria-selected={view === 'rows'} className={view === 'rows' ? 'on' : ''} onClick={() => setPreviewView('rows')} data-testid="preview-rows-tab">
          Rows
        </button>
        <button type="button" role="tab" aria-selected={view === 'profile'} className={view === 'profile' ? 'on' : ''} onClick={() => setPreviewView('profile')} data-testid="preview-profile-tab">
          Profile
        </button>
      </div>
      <strong className="mono" data-testid="preview-node">
        {node?.name ?? nodeId}
      </strong>
      {spec?.category === 'sink' && <span className="muted small">(the rows it would write)</span>}
      {result && (
        <span className="muted" data-testid="preview-count" data-row-count={result.rowCount ?? ''}>
          {rowsText}
        </span>
      )}
      {result && result.rowCount === null && (
        <button type="button" className="link" onClick={() => void countRows()} disabled={counting} data-testid="count-rows" title={`Counts every row of the node; the grid shows the first ${n(PREVIEW_LIMIT)}`}>
          {counting ? 'counting…' : 'count rows'}
        </button>
      )}
      {result && (
        <span className="muted" data-testid="preview-time" title="Time the engine took, including what this node needs upstream">
          {view === 'profile' && profile ? `profiled ${count(profile.rows, 'row')} in ${duration(profile.elapsedMs)}` : duration(result.elapsedMs)}
        </span>
      )}
      {(loading || (view === 'profile' && profileLoading)) && (
        <span className="spinner" role="status" aria-label="computing">
          computing…
        </span>
      )}
      <span className="spacer" />
      <button type="button" className="btn small" onClick={() => void previewNode(nodeId)} disabled={loading} data-testid="preview-refresh">
        Refresh
      </button>
    </div>
  );
}

/** The preview panel: the selected node's first rows (virtualized grid) or its column profile. */
export function PreviewTable(): JSX.Element {
  const nodeId = usePreview((s) => s.nodeId);
  const loading = usePreview((s) => s.loading);
  const result = usePreview((s) => s.result);
  const error = usePreview((s) => s.error);
  const view = usePreview((s) => s.view);
  const name = useDoc((s) => (nodeId ? s.byId.get(nodeId)?.name : undefined));
  if (!nodeId) return <p className="muted pad">Select a node to see its first rows. Its preview follows your edits.</p>;
  let body: JSX.Element;
  if (error) body = <div className="run-error pad-x" data-testid="preview-error">{error}</div>;
  else if (view === 'profile') body = <ProfileView />;
  else if (!result) body = <p className="muted pad">{loading ? `Computing ${name ?? ''}…` : ''}</p>;
  else if (!result.columns.length) body = <p className="muted pad">This node has no columns.</p>;
  else body = <DataGrid key={nodeId} columns={result.columns} rows={result.rows} />;
  return (
    <div className={`preview${loading ? ' is-loading' : ''}`}>
      <Meta />
      <div className="preview-body">{body}</div>
    </div>
  );
}
