import type { JSX } from 'react';
import type { ExplainInput, ExplainRows } from '../../shared/lineage';
import { useDoc } from '../document/doc-store';
import { DataGrid } from '../preview/grid/DataGrid';
import { closeExplain } from './lineage-actions';
import { useLineage } from './lineage-store';
import './lineage.css';

const plural = (n: number, one: string) => `${n.toLocaleString()} ${one}${n === 1 ? '' : 's'}`;

function NodeLink({ id, name }: { id: string; name: string }): JSX.Element {
  return (
    <button type="button" className="link-btn mono" onClick={() => useDoc.getState().setSelection([id])} title={`Select ${name} on the canvas`} data-testid="explain-node-link">
      {name}
    </button>
  );
}

function Rows({ rows, testId }: { rows: ExplainRows; testId: string }): JSX.Element {
  if (!rows.rows.length) return <p className="muted">No row matches.</p>;
  return <DataGrid columns={rows.columns} rows={rows.rows} testId={testId} label="Contributing rows" />;
}

function InputSection({ input }: { input: ExplainInput }): JSX.Element {
  return (
    <div className="ex-input" data-testid="explain-input" data-node-name={input.node}>
      <div className="ex-head">
        <NodeLink id={input.nodeId} name={input.node} />
        {input.rows && (
          <span className="muted" data-testid="explain-count">
            {plural(input.rows.total, 'row')}
            {input.rows.capped ? `, first ${input.rows.rows.length} shown` : ''}
          </span>
        )}
        {input.by.length > 0 && !input.untraceable && <span className="muted">matched on {input.by.map((p) => (p.output === p.column ? p.column : `${p.column} = ${p.output}`)).join(', ')}</span>}
      </div>
      {input.untraceable ? (
        <p className="ex-untraceable" data-testid="explain-untraceable">
          Cannot be traced here: {input.untraceable}
        </p>
      ) : (
        input.rows && <Rows rows={input.rows} testId="explain-grid" />
      )}
      {input.checks?.map((c) => (
        <div key={c.rule} className={`ex-rule${c.total ? ' failing' : ''}`} data-testid="explain-check" data-rule={c.rule} data-failing={c.total}>
          <span>
            check {c.rule} ({c.severity}): {c.total ? `${plural(c.total, 'failing row')} here` : 'passes for these rows'}
          </span>{' '}
          <span className="muted">{c.requirement}</span>
          {c.total > 0 && <Rows rows={c} testId="explain-check-grid" />}
        </div>
      ))}
      {input.stop && <p className="muted">{input.stop}</p>}
    </div>
  );
}

/** "Explain this value": the row traced back, one section per step and input, each node a link that selects it. */
export function ExplainPanel(): JSX.Element | null {
  const explain = useLineage((s) => s.explain);
  if (!explain) return null;
  const { result } = explain;
  const name = useDoc.getState().byId.get(explain.nodeId)?.name ?? explain.nodeId;
  return (
    <aside className="ex-panel" data-testid="explain-panel" aria-label="Explain this value">
      <header>
        <b>
          Why is <span className="mono">{name}.{explain.column}</span> = <span className="mono">{explain.value === null ? 'NULL' : String(explain.value)}</span>?
        </b>
        <button type="button" className="icon-btn" aria-label="Close (Escape)" title="Close (Escape)" data-testid="explain-close" onClick={closeExplain}>
          ×
        </button>
      </header>
      <div className="ex-body">
        {explain.loading && <p className="muted">Tracing the row back…</p>}
        {explain.error && (
          <p className="run-error" data-testid="explain-error">
            {explain.error}
          </p>
        )}
        {result && (
          <>
            <p className="muted">
              The rows each input contributed, matched on the columns that reach this row unchanged (join and group keys, columns passed through); at most {result.cap} rows per input.
            </p>
            {result.steps.map((s) => (
              <section key={s.nodeId} className="ex-step" data-testid="explain-step" data-node-name={s.node}>
                <h4>
                  {s.depth}. <NodeLink id={s.nodeId} name={s.node} /> {s.depth === 1 ? 'was made from' : 'rows above came from'}
                </h4>
                {s.inputs.length === 0 && <p className="muted">No input.</p>}
                {s.inputs.map((i) => (
                  <InputSection key={i.nodeId} input={i} />
                ))}
              </section>
            ))}
          </>
        )}
      </div>
    </aside>
  );
}
