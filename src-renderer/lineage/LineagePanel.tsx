import type { JSX } from 'react';
import { useDoc } from '../document/doc-store';
import { clearLineage, showLineage } from './lineage-actions';
import { useLineage } from './lineage-store';
import './lineage.css';

/**
 * Over the canvas while a column's lineage is on show: what is traced, the legend of the
 * cards' marks, a switch between upstream and downstream, and per node the columns reached,
 * each node a link that selects it. Escape or × takes the marks off.
 */
export function LineagePanel(): JSX.Element | null {
  const target = useLineage((s) => s.target);
  const trace = useLineage((s) => s.trace);
  const loading = useLineage((s) => s.loading);
  const error = useLineage((s) => s.error);
  const marks = useLineage((s) => s.marks);
  const doc = useDoc((s) => s.doc);
  if (!target) return null;
  // Nearest first, and at the same distance the nodes a value flows from first.
  const depth = new Map<string, number>();
  for (const h of trace?.hits ?? []) {
    const k = h.node.toLowerCase();
    const rank = h.depth * 2 + (h.via === 'direct' ? 0 : 1);
    depth.set(k, Math.min(depth.get(k) ?? rank, rank));
  }
  const nodes = (doc?.nodes ?? []).filter((n) => marks[n.id] && marks[n.id]!.via !== 'origin').sort((a, b) => (depth.get(a.name.toLowerCase()) ?? 0) - (depth.get(b.name.toLowerCase()) ?? 0));
  const other = target.direction === 'upstream' ? 'downstream' : 'upstream';
  return (
    <section className="ln-panel" data-testid="lineage-panel" aria-label="Column lineage">
      <header>
        <b title={`${target.node}.${target.column}`}>
          {target.direction === 'upstream' ? 'Where ' : 'What '}
          <span className="mono">{target.node}.{target.column}</span>
          {target.direction === 'upstream' ? ' comes from' : ' feeds'}
        </b>
        <button type="button" className="btn small" data-testid="lineage-direction" onClick={() => void showLineage(target.nodeId, target.column, other)}>
          {other}
        </button>
        <button type="button" className="icon-btn" aria-label="Clear the lineage marks (Escape)" title="Clear the lineage marks (Escape)" data-testid="lineage-clear" onClick={clearLineage}>
          ×
        </button>
      </header>
      <div className="ln-legend" aria-label="Lineage marks">
        <span className="ln-swatch origin">traced column</span>
        <span className="ln-swatch direct">direct: its value flows</span>
        <span className="ln-swatch indirect">indirect: decides rows</span>
      </div>
      {loading && <p className="muted pad-x">Tracing…</p>}
      {error && (
        <p className="run-error pad-x" data-testid="lineage-error">
          {error}
        </p>
      )}
      {trace && !loading && trace.unknown.length > 0 && <p className="ln-unknown">Not fully known: {trace.unknown.join('; ')}</p>}
      {trace && !loading && (
        <ul className="ln-nodes" data-testid="lineage-nodes">
          {nodes.length === 0 && <li className="muted">{target.direction === 'upstream' ? 'No input column: a constant or a source column.' : 'Nothing downstream reads it.'}</li>}
          {nodes.map((n) => (
            <li key={n.id} data-testid="lineage-node" data-node-name={n.name}>
              <button type="button" className="link-btn" onClick={() => useDoc.getState().setSelection([n.id])} title={`Select ${n.name} on the canvas`}>
                {n.name}
              </button>
              <div>
                {marks[n.id]!.columns.map((c) => (
                  <span key={c.column} className={`ln-col ${c.via}`} title={c.via === 'direct' ? 'direct: its value flows' : 'indirect: decides which rows, groups or branch'}>
                    {c.column}
                  </span>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
