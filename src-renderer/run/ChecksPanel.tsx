import type { JSX } from 'react';
import type { CheckResult } from '../../shared/run/record';
import { useDoc } from '../document/doc-store';
import { checkTally } from './run-reducer';
import { useRun } from './run-store';
import './run.css';

function Sample({ rows }: { rows: Record<string, unknown>[] }): JSX.Element | null {
  if (!rows.length) return null;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <table className="check-sample" data-testid="check-sample">
      <thead>
        <tr>
          {cols.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {cols.map((c) => (
              <td key={c}>{r[c] === null || r[c] === undefined ? <span className="v-null">NULL</span> : typeof r[c] === 'object' ? JSON.stringify(r[c]) : String(r[c])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Rule({ c }: { c: CheckResult }): JSX.Element {
  const state = c.passed ? 'pass' : c.severity === 'warn' ? 'warn' : 'fail';
  return (
    <li className={`check-rule cr-${state}`} data-testid="check-rule" data-rule={c.rule} data-passed={c.passed}>
      <div className="check-rule-head">
        <span className={`check-mark cm-${state}`} aria-label={state}>
          {state === 'pass' ? '✓' : state === 'warn' ? '!' : '✕'}
        </span>
        <span className="mono check-name">{c.rule}</span>
        {c.type && <span className="tag">{c.type}</span>}
        {c.columns?.length ? <span className="muted small">on {c.columns.join(', ')}</span> : null}
        {/* Severity and failing rows stay together, at the right: on a line of their own when the name leaves no room. */}
        <span className="check-outcome">
          <span className="muted small">{c.severity}</span>
          <span className={`check-failing${c.failingRows ? ' bad' : ''}`} data-testid="check-failing">
            {c.failingRows.toLocaleString('en-US')} failing row{c.failingRows === 1 ? '' : 's'}
          </span>
        </span>
      </div>
      {c.description && <div className="muted small check-desc">{c.description}</div>}
      {!c.passed && c.message && <div className="check-msg">{c.message}</div>}
      {!c.passed && <Sample rows={c.sample} />}
    </li>
  );
}

function NodeChecks({ nodeId }: { nodeId: string }): JSX.Element | null {
  const node = useDoc((s) => s.byId.get(nodeId));
  const run = useRun((s) => s.nodes[nodeId]);
  if (!node) return null;
  const tally = checkTally(run?.checks ?? null);
  return (
    <section className="checks-node" data-testid="checks-node" data-node={node.name}>
      <h4>
        <span className="mono">{node.name}</span>
        {tally && (
          <span className={`check-badge ${tally.state}`}>
            {tally.passed}/{tally.total} passed
          </span>
        )}
        {run?.status === 'skipped' && <span className="muted small">skipped: {run.message}</span>}
      </h4>
      {run?.checks?.length ? (
        <ul className="check-rules">
          {run.checks.map((c) => (
            <Rule key={c.rule} c={c} />
          ))}
        </ul>
      ) : (
        <p className="muted small">{run ? (run.status === 'running' || run.status === 'queued' ? 'Checking…' : 'No results in this run.') : 'Run the pipeline to check these rules.'}</p>
      )}
    </section>
  );
}

/** Check results: the selected check node's rules, or every check node's when none is selected. */
export function ChecksPanel(): JSX.Element {
  const selection = useDoc((s) => s.selection);
  const byId = useDoc((s) => s.byId);
  const doc = useDoc((s) => s.doc);
  const selected = selection.length === 1 ? byId.get(selection[0]!) : undefined;
  const checkNodes = selected?.kind === 'check' ? [selected] : (doc?.nodes.filter((n) => n.kind === 'check') ?? []);
  if (!checkNodes.length) return <p className="muted pad">This pipeline has no check nodes. Add one from the palette (Checks) to guard data quality.</p>;
  return (
    <div className="checks" data-testid="checks-panel">
      {checkNodes.map((n) => (
        <NodeChecks key={n.id} nodeId={n.id} />
      ))}
    </div>
  );
}
