import type { JSX } from 'react';
import { useDoc } from '../state/doc-store';
import { usePreview } from '../state/preview-store';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;

function cell(v: unknown): JSX.Element {
  if (v === null || v === undefined) return <span className="null">NULL</span>;
  if (typeof v === 'object') return <>{JSON.stringify(v)}</>;
  if (v === '') return <span className="empty">""</span>;
  return <>{String(v)}</>;
}

export function PreviewTable(): JSX.Element {
  const nodeId = usePreview((s) => s.nodeId);
  const loading = usePreview((s) => s.loading);
  const result = usePreview((s) => s.result);
  const error = usePreview((s) => s.error);
  const name = useDoc((s) => (nodeId ? s.byId.get(nodeId)?.name : undefined));
  if (!nodeId) return <p className="muted pad">Select a node and press Preview to see its first rows.</p>;
  if (error) return <div className="run-error pad">{error}</div>;
  if (!result) return <p className="muted pad">{loading ? `Computing ${name ?? ''}…` : ''}</p>;
  return (
    <div className="preview">
      <div className="preview-meta muted small">
        <strong>{name}</strong> · {result.rowCount === null ? `first ${result.rows.length} rows` : `${result.rowCount} rows`} · {result.elapsedMs} ms{loading ? ' · refreshing…' : ''}
      </div>
      <div className="preview-scroll">
        <table data-testid="preview-table">
          <thead>
            <tr>
              {result.columns.map((c) => (
                <th key={c.name}>
                  {c.name}
                  <span className="type">{c.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.rows.map((r, i) => (
              <tr key={i}>
                {r.map((v, j) => (
                  <td key={j} className={NUMERIC.test(result.columns[j]?.type ?? '') ? 'num' : ''}>
                    {cell(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
