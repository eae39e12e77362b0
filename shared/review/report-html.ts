import type { ReviewColumnProfile, ReviewNode, ReviewReport } from './schema';

/** Text for HTML element content and attribute values: every character that could start markup escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const e = (v: unknown) => escapeHtml(v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
const num = (v: number | null) => (v === null ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/0+$/, '').replace(/\.$/, ''));

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;color:#1d2430;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dde6;padding-bottom:4px}
h3{font-size:15px;margin:0}.muted{color:#5b6678}.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
table{border-collapse:collapse;margin:6px 0 10px;width:100%}th,td{border:1px solid #d8dde6;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f5f8;font-weight:600}.verdict{display:inline-block;padding:4px 10px;border-radius:4px;font-weight:700;margin:8px 0}
.verdict.breaking,.tag.breaking{background:#fde8e8;color:#9b1c1c;border:1px solid #f5b5b5}.verdict.non_breaking,.tag.non_breaking{background:#e6f4ea;color:#1e6b35;border:1px solid #a8d5b5}
.verdict.none,.tag.none{background:#eef1f5;color:#3b4556;border:1px solid #cfd6e0}td.mono{word-break:break-all}.node{border:1px solid #d8dde6;border-radius:6px;padding:12px 14px;margin:12px 0}
.node.breaking{border-left:5px solid #c53030}.node.non_breaking{border-left:5px solid #2f855a}.tag{font-size:12px;padding:1px 6px;border-radius:3px;margin-left:6px}
.bad{color:#9b1c1c;font-weight:600}.good{color:#1e6b35}.diff{background:#fff6d6}ul{margin:4px 0 8px 18px;padding:0}
`;

function profileCell(p: ReviewColumnProfile | null): string {
  if (!p) return '<td class="muted">–</td>';
  const top = p.top.length ? `<br><span class="muted">top: ${p.top.map((t) => `${e(t.value ?? 'NULL')} (${t.count})`).join(', ')}</span>` : '';
  return `<td class="mono">${e(p.type)} · nulls ${p.nulls} · distinct ${p.distinct}<br>min ${e(p.min ?? '–')} · max ${e(p.max ?? '–')} · mean ${num(p.mean)}${top}</td>`;
}

function nodeSection(n: ReviewNode): string {
  const parts: string[] = [];
  parts.push(`<section class="node ${n.classification}"><h3>${e(n.name)}<span class="tag ${n.classification}">${n.classification === 'breaking' ? 'breaking' : 'non-breaking'}</span><span class="tag none">${e(n.kind)} · ${e(n.change)}</span></h3>`);
  if (n.reasons.length) parts.push(`<ul>${n.reasons.map((r) => `<li>${e(r)}</li>`).join('')}</ul>`);
  if (n.error) parts.push(`<p class="bad">${e(n.error)}</p>`);
  const sc = n.schema;
  if (sc.added.length || sc.removed.length || sc.retyped.length) {
    parts.push('<table><tr><th>column</th><th>schema change</th></tr>');
    for (const c of sc.added) parts.push(`<tr><td class="mono">${e(c.name)}</td><td class="good">added ${e(c.type)}</td></tr>`);
    for (const c of sc.removed) parts.push(`<tr><td class="mono">${e(c.name)}</td><td class="bad">removed (${e(c.type)})</td></tr>`);
    for (const c of sc.retyped) parts.push(`<tr><td class="mono">${e(c.name)}</td><td class="bad">retyped ${e(c.from)} → ${e(c.to)}</td></tr>`);
    parts.push('</table>');
  }
  parts.push(`<p>rows: <b>${num(n.rows.base)}</b> (base) → <b>${num(n.rows.head)}</b> (head)</p>`);
  const v = n.values;
  if (v) {
    parts.push(
      v.key
        ? `<p>value diff by <span class="mono">${v.key.map(e).join(', ')}</span> (${v.keySource === 'option' ? '--key' : 'unique check'}): <b>${v.changed}</b> changed, <b>${v.onlyBase}</b> only in base, <b>${v.onlyHead}</b> only in head, ${v.same} same</p>`
        : `<p>row diff (no key, EXCEPT ALL both ways): <b>${v.onlyBase}</b> rows only in base, <b>${v.onlyHead}</b> only in head</p>`,
    );
    const mism = v.columns.filter((c) => c.mismatches > 0);
    if (mism.length) parts.push(`<table><tr><th>column</th><th>mismatches</th></tr>${mism.map((c) => `<tr><td class="mono">${e(c.column)}</td><td>${c.mismatches}</td></tr>`).join('')}</table>`);
    if (v.sample.length) {
      const cols = Object.keys(v.sample[0]!.base);
      const keyCols = Object.keys(v.sample[0]!.key);
      parts.push(`<table class="mono"><tr>${keyCols.map((k) => `<th>${e(k)}</th>`).join('')}${cols.map((c) => `<th>${e(c)} (base)</th><th>${e(c)} (head)</th>`).join('')}</tr>`);
      for (const s of v.sample) {
        parts.push(
          `<tr>${keyCols.map((k) => `<td>${e(s.key[k])}</td>`).join('')}${cols
            .map((c) => {
              const changed = JSON.stringify(s.base[c]) !== JSON.stringify(s.head[c]);
              return `<td${changed ? ' class="diff"' : ''}>${e(s.base[c])}</td><td${changed ? ' class="diff"' : ''}>${e(s.head[c])}</td>`;
            })
            .join('')}</tr>`,
        );
      }
      parts.push('</table>');
    }
  }
  if (n.checks.length) {
    const side = (x: ReviewNode['checks'][number]['base']) => (x ? (x.passed ? '<span class="good">pass</span>' : `<span class="bad">fail (${x.failingRows} rows)</span>`) : '–');
    parts.push('<table><tr><th>check</th><th>base</th><th>head</th><th>change</th></tr>');
    for (const c of n.checks) parts.push(`<tr><td class="mono">${e(c.rule)}</td><td>${side(c.base)}</td><td>${side(c.head)}</td><td${c.change === 'newly_failing' ? ' class="bad"' : ''}>${e(c.change.replace('_', ' '))}</td></tr>`);
    parts.push('</table>');
  }
  const changedProfiles = n.profile.filter((p) => JSON.stringify(p.base) !== JSON.stringify(p.head));
  if (changedProfiles.length) {
    parts.push(`<details><summary>profile of ${changedProfiles.length} column${changedProfiles.length === 1 ? '' : 's'} that differ</summary><table><tr><th>column</th><th>base</th><th>head</th></tr>`);
    for (const p of changedProfiles) parts.push(`<tr><td class="mono">${e(p.column)}</td>${profileCell(p.base)}${profileCell(p.head)}</tr>`);
    parts.push('</table></details>');
  }
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * The review as one self-contained HTML file for a pull request or a change-control record:
 * inline CSS, no script, no external load (a Content-Security-Policy says so too), every
 * value from the pipeline or the data escaped.
 */
export function renderReviewHtml(r: ReviewReport): string {
  const s = r.summary;
  const objects = r.inputs.objects
    .map((o) => `<tr><td class="mono">${e(o.node)}</td><td class="mono">${e(o.uri)}</td><td>${o.size}</td><td class="mono">${e(o.sha256 ?? o.etag ?? '')}</td><td${o.status === 'same' ? '' : ' class="bad"'}>${e(o.status)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Weir review: ${e(r.pipeline.name)}</title>
<style>${CSS}</style></head><body>
<h1>Review of ${e(r.pipeline.name)}</h1>
<p class="muted mono">${e(r.pipeline.file)}</p>
<table>
<tr><th>base</th><td class="mono">${e(r.base.label)} · ${e(r.base.commit)}</td></tr>
<tr><th>head</th><td class="mono">${e(r.head.label)}${r.head.commit ? ` · ${e(r.head.commit)}` : ''}${r.head.dirty ? ' (uncommitted changes)' : ''}</td></tr>
<tr><th>generated</th><td>by ${e(r.generatedBy)} at ${e(r.generatedAt)} with Weir ${e(r.weirVersion)} (DuckDB ${e(r.duckdbVersion)})</td></tr>
</table>
<div class="verdict ${s.verdict}">${s.verdict === 'breaking' ? 'Breaking change' : s.verdict === 'non_breaking' ? 'Non-breaking change' : 'No impact on data'}</div>
<p>${s.breaking} breaking, ${s.nonBreaking} non-breaking, ${s.unchanged} unchanged (not computed) · checks: <span class="${s.checksNewlyFailing ? 'bad' : ''}">${s.checksNewlyFailing} newly failing</span>, ${s.checksNewlyPassing} newly passing</p>
<h2>Inputs</h2>
<p>${r.inputs.mode === 'pinned' ? `Both versions ran over the inputs of base run <span class="mono">${e(r.inputs.baseRunId ?? '(none needed)')}</span>.` : `<span class="bad">Current inputs, not the base run's:</span> ${e(r.inputs.fallbackReason ?? '')}`}</p>
${objects ? `<table><tr><th>source</th><th>object</th><th>bytes</th><th>sha256 / ETag</th><th>now</th></tr>\n${objects}</table>` : ''}
<h2>Impacted nodes</h2>
${r.nodes.length ? r.nodes.map(nodeSection).join('\n') : '<p class="muted">None: the change touches no data (comments, layout, descriptions).</p>'}
</body></html>
`;
}
