import type { ReviewNode, ReviewReport } from './schema';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function valuesLine(n: ReviewNode): string | null {
  const v = n.values;
  if (!v) return null;
  if (!v.key) return `rows: ${v.onlyBase} only in base, ${v.onlyHead} only in head (no key: EXCEPT ALL both ways)`;
  const cols = v.columns.filter((c) => c.mismatches > 0).map((c) => `${c.column} ${c.mismatches}`);
  const keys = v.sample.map((s) => Object.values(s.key).map(String).join('/')).slice(0, 5);
  return [
    `values by ${v.key.join(', ')}: ${v.changed} changed, ${v.onlyBase} only in base, ${v.onlyHead} only in head, ${v.same} same`,
    cols.length ? `; mismatches: ${cols.join(', ')}` : '',
    keys.length ? `; e.g. ${keys.join(', ')}` : '',
  ].join('');
}

/**
 * The terminal summary of a review: a header, then a few lines per node, breaking first (the
 * report's order). Plain text; the CLI escapes control bytes before printing it.
 */
export function formatReview(r: ReviewReport): string {
  const out: string[] = [];
  out.push(`review of ${r.pipeline.file}: ${r.base.label} → ${r.head.label}${r.head.dirty ? ' (uncommitted changes)' : ''}`);
  const inputs =
    r.inputs.mode === 'pinned'
      ? `inputs: pinned to run ${r.inputs.baseRunId ?? '(none needed)'}${r.inputs.objects.some((o) => o.status !== 'same') ? ' (changed inputs served from the node cache)' : ''}`
      : `inputs: CURRENT, not the base run's: ${r.inputs.fallbackReason ?? ''}`;
  out.push(inputs);
  const s = r.summary;
  out.push(
    s.verdict === 'none'
      ? 'no impact: nothing that changes data (comments, layout and descriptions are no change)'
      : `${s.verdict === 'breaking' ? 'BREAKING' : 'non-breaking'}: ${plural(s.breaking, 'breaking node')}, ${plural(s.nonBreaking, 'non-breaking node')}, ${plural(s.unchanged, 'node')} unchanged (not computed); checks: ${s.checksNewlyFailing} newly failing, ${s.checksNewlyPassing} newly passing`,
  );
  for (const n of r.nodes) {
    out.push('');
    out.push(`${n.classification === 'breaking' ? '✗ breaking' : '• non-breaking'}  ${n.name} (${n.kind}, ${n.change})`);
    if (n.reasons.length) out.push(`    why: ${n.reasons.join('; ')}`);
    const sc = [
      ...n.schema.added.map((c) => `+${c.name} ${c.type}`),
      ...n.schema.removed.map((c) => `-${c.name} ${c.type}`),
      ...n.schema.retyped.map((c) => `~${c.name} ${c.from} → ${c.to}`),
    ];
    if (sc.length) out.push(`    columns: ${sc.join(', ')}`);
    if (n.rows.base !== null || n.rows.head !== null) out.push(`    rows: ${n.rows.base ?? '-'} → ${n.rows.head ?? '-'}`);
    const vl = valuesLine(n);
    if (vl) out.push(`    ${vl}`);
    for (const c of n.checks.filter((x) => x.change !== 'still_passing')) {
      const side = (x: typeof c.base) => (x ? (x.passed ? 'pass' : `FAIL (${x.failingRows})`) : '-');
      out.push(`    check ${c.rule}: ${side(c.base)} → ${side(c.head)}${c.change === 'newly_failing' ? '  NEWLY FAILING' : c.change === 'newly_passing' ? '  newly passing' : ''}`);
    }
    if (n.error) out.push(`    error: ${n.error}`);
  }
  return out.join('\n') + '\n';
}
