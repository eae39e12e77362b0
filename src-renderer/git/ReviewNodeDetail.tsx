import type { JSX } from 'react';
import type { ReviewCheck, ReviewColumnProfile, ReviewNode, ReviewValues } from '../../shared/review/schema';

/** One impacted node of a review, opened in the Changes tab: schema, rows, checks, values, profile. */

const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));

/** A value of a row as the preview grid writes it: null as "null", objects as JSON. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function Rows({ rows }: { rows: ReviewNode['rows'] }): JSX.Element {
  const delta = rows.base !== null && rows.head !== null ? rows.head - rows.base : null;
  return (
    <p className="rv-line" data-testid="review-rows">
      <b>Rows</b> {num(rows.base)} → {num(rows.head)}
      {delta !== null && delta !== 0 && <span className={delta < 0 ? 'del' : 'add'}>{` (${delta > 0 ? '+' : ''}${delta.toLocaleString('en-US')})`}</span>}
      {delta === 0 && <span className="muted"> (same)</span>}
    </p>
  );
}

function SchemaDiff({ schema }: { schema: ReviewNode['schema'] }): JSX.Element | null {
  if (!schema.added.length && !schema.removed.length && !schema.retyped.length) return null;
  return (
    <div className="rv-block" data-testid="review-schema">
      <b>Schema</b>
      <ul className="rv-schema">
        {schema.removed.map((c) => (
          <li key={`-${c.name}`} className="del">{`− ${c.name} ${c.type}`}</li>
        ))}
        {schema.retyped.map((c) => (
          <li key={`~${c.name}`} className="del">{`~ ${c.name} ${c.from} → ${c.to}`}</li>
        ))}
        {schema.added.map((c) => (
          <li key={`+${c.name}`} className="add">{`+ ${c.name} ${c.type}`}</li>
        ))}
      </ul>
    </div>
  );
}

const CHANGE_WORDS: Record<ReviewCheck['change'], string> = {
  newly_failing: 'newly fails',
  newly_passing: 'newly passes',
  still_failing: 'still fails',
  still_passing: 'passes',
  added: 'added',
  removed: 'removed',
};
const side = (s: ReviewCheck['base']) => (s === null ? '—' : s.passed ? 'pass' : `fail (${num(s.failingRows)})`);
const CHECK_ORDER: ReviewCheck['change'][] = ['newly_failing', 'still_failing', 'newly_passing', 'added', 'removed', 'still_passing'];

function Checks({ checks }: { checks: ReviewCheck[] }): JSX.Element | null {
  if (!checks.length) return null;
  const sorted = [...checks].sort((a, b) => CHECK_ORDER.indexOf(a.change) - CHECK_ORDER.indexOf(b.change));
  return (
    <div className="rv-block">
      <b>Checks</b> <span className="muted small">base → head</span>
      <table className="rv-table" data-testid="review-checks">
        <tbody>
          {sorted.map((c) => (
            <tr key={`${c.node}/${c.rule}`} className={`rv-check ${c.change}`} data-change={c.change}>
              <td>{c.rule}</td>
              <td>{side(c.base)}</td>
              <td>{side(c.head)}</td>
              <td className="rv-check-change">{CHANGE_WORDS[c.change]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The columns a changed row is shown with: those that differ anywhere first, then the rest, at most eight. */
function sampleColumns(values: ReviewValues): string[] {
  const key = new Set(values.key ?? []);
  const mismatched = values.columns.filter((c) => c.mismatches > 0 && !key.has(c.column)).map((c) => c.column);
  const first = values.sample[0];
  const rest = first ? Object.keys({ ...first.base, ...first.head }).filter((c) => !key.has(c) && !mismatched.includes(c)) : [];
  return [...mismatched, ...rest].slice(0, 8);
}

function Values({ values }: { values: ReviewValues }): JSX.Element {
  const cols = sampleColumns(values);
  const keyCols = values.key ?? [];
  const mism = values.columns.filter((c) => c.mismatches > 0);
  return (
    <div className="rv-block" data-testid="review-values">
      <b>Values</b>{' '}
      <span className="muted small">
        {values.key ? `by key ${values.key.join(', ')}${values.keySource === 'unique_check' ? ' (its unique check)' : values.keySource === 'option' ? ' (chosen)' : ''}` : 'no key: rows compared as a whole'}
      </span>
      <p className="rv-line" data-testid="review-value-counts">
        <span className={values.changed ? 'del' : ''}>{num(values.changed)} changed</span> · {num(values.onlyBase)} only in base · {num(values.onlyHead)} only in head · {num(values.same)} same
      </p>
      {mism.length > 0 && (
        <p className="rv-line" data-testid="review-mismatches">
          <span className="muted">mismatches:</span> {mism.map((c) => `${c.column} ${num(c.mismatches)}`).join(' · ')}
        </p>
      )}
      {values.sample.length > 0 && (
        <div className="rv-scroll">
          <table className="rv-table rv-sample" data-testid="review-sample">
            <thead>
              <tr>
                {keyCols.map((k) => (
                  <th key={`k-${k}`} rowSpan={2}>
                    {k}
                  </th>
                ))}
                {cols.map((c) => (
                  <th key={c} colSpan={2} className="rv-colgroup">
                    {c}
                  </th>
                ))}
              </tr>
              <tr>
                {cols.map((c) => [
                  <th key={`${c}-b`} className="rv-sub">
                    base
                  </th>,
                  <th key={`${c}-h`} className="rv-sub">
                    head
                  </th>,
                ])}
              </tr>
            </thead>
            <tbody>
              {values.sample.map((r, i) => (
                <tr key={i} data-testid="review-sample-row">
                  {keyCols.map((k) => (
                    <td key={`k-${k}`} className="rv-key">
                      {cell(r.key[k])}
                    </td>
                  ))}
                  {cols.map((c) => {
                    const differs = cell(r.base[c]) !== cell(r.head[c]);
                    return [
                      <td key={`${c}-b`} className={differs ? 'rv-was' : ''}>
                        {c in r.base ? cell(r.base[c]) : ''}
                      </td>,
                      <td key={`${c}-h`} className={differs ? 'rv-now' : ''}>
                        {c in r.head ? cell(r.head[c]) : ''}
                      </td>,
                    ];
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

type Stat = 'nulls' | 'distinct' | 'min' | 'max' | 'mean';
const STATS: Stat[] = ['nulls', 'distinct', 'min', 'max', 'mean'];
const stat = (p: ReviewColumnProfile | null, s: Stat): string => {
  if (!p) return '—';
  const v = p[s];
  if (v === null) return 'null';
  return typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(6)))) : v;
};
const top = (p: ReviewColumnProfile | null) => (p ? p.top.slice(0, 3).map((t) => `${t.value ?? 'null'} (${t.count})`).join(', ') : '—');

function Profile({ profile }: { profile: ReviewNode['profile'] }): JSX.Element | null {
  if (!profile.length) return null;
  return (
    <div className="rv-block">
      <b>Profile</b> <span className="muted small">base → head; changed figures marked</span>
      <div className="rv-scroll">
        <table className="rv-table" data-testid="review-profile">
          <thead>
            <tr>
              <th>column</th>
              {STATS.map((s) => (
                <th key={s}>{s}</th>
              ))}
              <th>top values</th>
            </tr>
          </thead>
          <tbody>
            {profile.map((c) => (
              <tr key={c.column}>
                <td className="rv-key">{c.column}</td>
                {STATS.map((s) => {
                  const b = stat(c.base, s);
                  const h = stat(c.head, s);
                  return (
                    <td key={s} className={b !== h ? 'rv-now' : ''}>
                      {b === h ? b : `${b} → ${h}`}
                    </td>
                  );
                })}
                <td className={top(c.base) !== top(c.head) ? 'rv-now' : ''}>{top(c.base) === top(c.head) ? top(c.head) : `${top(c.base)} → ${top(c.head)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function ReviewNodeDetail({ node }: { node: ReviewNode }): JSX.Element {
  return (
    <div className="rv-detail" data-testid="review-node-detail">
      {node.error && <p className="error small">{node.error}</p>}
      {node.reasons.length > 0 && (
        <ul className="rv-reasons">
          {node.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      <SchemaDiff schema={node.schema} />
      <Rows rows={node.rows} />
      <Checks checks={node.checks} />
      {node.values && <Values values={node.values} />}
      <Profile profile={node.profile} />
    </div>
  );
}
