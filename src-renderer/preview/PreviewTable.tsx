import { useMemo, type JSX } from 'react';
import { FILTER_OP_LABELS, type PreviewFilter } from '../../shared/preview/query';
import { count, duration } from '../../shared/format';
import { nodeKindSpec } from '../../shared/nodes/registry';
import { useDoc } from '../document/doc-store';
import { addFilter, clearFilters, countRows, previewNode, PREVIEW_LIMIT, removeFilter, setPreviewView, sortBy } from './preview-actions';
import { usePreview } from './preview-store';
import { DataGrid, type GridLineage, type GridShaping } from './grid/DataGrid';
import { explainValue, showLineage } from '../lineage/lineage-actions';
import { ProfileView } from './ProfileView';
import { LotPicker } from './LotPicker';
import { ChartView } from './ChartView';
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
  const filtered = usePreview((s) => s.filters.length > 0);
  const rowsText = !result
    ? ''
    : result.rowCount !== null
      ? `${count(result.rowCount, 'row')}${filtered ? ' match' : ''}`
      : `first ${count(result.rows.length, 'row')}${filtered ? ' that match' : ''}`;
  return (
    <div className="preview-meta">
      <div className="seg" role="tablist" aria-label="Preview view">
        <button type="button" role="tab" aria-selected={view === 'rows'} className={view === 'rows' ? 'on' : ''} onClick={() => setPreviewView('rows')} data-testid="preview-rows-tab">
          Rows
        </button>
        <button type="button" role="tab" aria-selected={view === 'profile'} className={view === 'profile' ? 'on' : ''} onClick={() => setPreviewView('profile')} data-testid="preview-profile-tab">
          Profile
        </button>
        <button type="button" role="tab" aria-selected={view === 'chart'} className={view === 'chart' ? 'on' : ''} onClick={() => setPreviewView('chart')} data-testid="preview-chart-tab">
          Chart
        </button>
      </div>
      <strong className="mono" data-testid="preview-node">
        {node?.name ?? nodeId}
      </strong>
      <LotPicker />
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

const filterText = (f: PreviewFilter) => `${f.column} ${FILTER_OP_LABELS[f.op]}${f.value === undefined ? '' : ` ${String(f.value)}`}`;

/** The filters in force (DuckDB applies them to every row of the node), each removable. */
function FilterBar(): JSX.Element | null {
  const filters = usePreview((s) => s.filters);
  const sort = usePreview((s) => s.sort);
  if (!filters.length) return null;
  return (
    <div className="preview-filters" data-testid="preview-filters">
      <span className="muted">Only rows where</span>
      {filters.map((f, i) => (
        <span key={`${f.column}-${f.op}`} className="filter-chip" data-testid="filter-chip">
          <span className="mono">{filterText(f)}</span>
          <button type="button" className="icon-btn" aria-label={`Remove the filter ${filterText(f)}`} onClick={() => removeFilter(i)}>
            ✕
          </button>
        </span>
      ))}
      <button type="button" className="link" onClick={clearFilters} data-testid="clear-filters">
        clear {filters.length > 1 ? 'all' : ''}
      </button>
      {sort && <span className="muted">· sorted by {sort.column}{sort.descending ? ' (descending)' : ''}</span>}
    </div>
  );
}

/** The preview's lineage actions: a header's lineage button and a cell's "Explain this value". */
function lineageOf(nodeId: string, result: { columns: { name: string }[]; rows: unknown[][] }): GridLineage {
  return {
    onLineage: (column) => void showLineage(nodeId, column),
    onExplain: (row, column) => {
      const values = result.rows[row];
      if (values) void explainValue(nodeId, column, Object.fromEntries(result.columns.map((c, i) => [c.name, values[i]])));
    },
  };
}

/** The preview panel: the selected node's first rows (virtualized grid) or its column profile. */
export function PreviewTable(): JSX.Element {
  const nodeId = usePreview((s) => s.nodeId);
  const loading = usePreview((s) => s.loading);
  const result = usePreview((s) => s.result);
  const error = usePreview((s) => s.error);
  const view = usePreview((s) => s.view);
  const name = useDoc((s) => (nodeId ? s.byId.get(nodeId)?.name : undefined));
  const sort = usePreview((s) => s.sort);
  const shaping = useMemo<GridShaping>(() => ({ sort, onSort: sortBy, onFilter: addFilter }), [sort]);
  if (!nodeId) return <p className="muted pad">Select a node to see its first rows. Its preview follows your edits.</p>;
  let body: JSX.Element;
  if (error) body = <div className="run-error pad-x" data-testid="preview-error">{error}</div>;
  else if (view === 'profile') body = <ProfileView />;
  else if (view === 'chart') body = <ChartView />;
  else if (!result) body = <p className="muted pad">{loading ? `Computing ${name ?? ''}…` : ''}</p>;
  else if (!result.columns.length) body = <p className="muted pad">This node has no columns.</p>;
  else body = <DataGrid key={nodeId} columns={result.columns} rows={result.rows} shaping={shaping} lineage={lineageOf(nodeId, result)} label={`Rows of ${name ?? nodeId}`} />;
  return (
    <div className={`preview${loading ? ' is-loading' : ''}`}>
      <Meta />
      {view === 'rows' && <FilterBar />}
      <div className="preview-body">{body}</div>
    </div>
  );
}
