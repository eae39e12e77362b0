import { hunkHeader, type LineDiff } from './line-diff';
import { sqlKeysOf } from '../nodes/registry';
import type { NodeEntry, PipelineDiff, ValueChange } from './semantic-diff';
import type { ParamSpec } from './schema';
import type { ChartSpec } from '../chart/spec';

/**
 * A pipeline diff as a reviewer reads it in a terminal or a pull-request comment:
 * one line per node change, SQL as unified-diff lines, layout moves in a section of
 * their own at the end.
 */

export interface DiffTextOptions {
  /** Labels of the two sides, e.g. "HEAD (3f2a9c1)" and "working copy". */
  beforeLabel?: string;
  afterLabel?: string;
  /** ANSI colours for a terminal. */
  color?: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function diffSummaryLine(d: PipelineDiff): string {
  if (d.identical) return 'no changes';
  const s = d.summary;
  const parts: string[] = [];
  if (d.created) parts.push('new pipeline');
  if (d.deleted) parts.push('pipeline deleted');
  const nodeParts = [
    s.added && `${plural(s.added, 'node')} added`,
    s.removed && `${plural(s.removed, 'node')} removed`,
    s.renamed && `${plural(s.renamed, 'node')} renamed`,
    s.changed && `${plural(s.changed, 'node')} changed`,
  ].filter(Boolean);
  if (nodeParts.length) parts.push(nodeParts.join(', '));
  if (s.sqlLinesAdded || s.sqlLinesRemoved) parts.push(`SQL +${s.sqlLinesAdded} -${s.sqlLinesRemoved} lines`);
  if (s.params) parts.push(`${plural(s.params, 'parameter')} changed`);
  if (d.pipeline.length) parts.push(`pipeline ${d.pipeline.map((c) => c.path).join(', ')} changed`);
  const notes = d.layout.annotations.filter((x) => x.type === 'note').length;
  const frames = d.layout.annotations.length - notes;
  const layout = [
    s.moved && `${plural(s.moved, 'node')} moved`,
    d.layout.charts.length && `${plural(d.layout.charts.length, 'chart')} changed`,
    d.layout.reordered && 'node order changed',
    notes && `${plural(notes, 'note')} changed`,
    frames && `${plural(frames, 'frame')} changed`,
  ].filter(Boolean);
  if (layout.length) parts.push(`layout: ${layout.join(', ')}`);
  return d.layoutOnly ? `layout only (no effect on results): ${layout.join(', ')}` : parts.join('; ');
}

export function formatPipelineDiff(d: PipelineDiff, opts: DiffTextOptions = {}): string {
  const c = colors(opts.color ?? false);
  const out: string[] = [];
  if (opts.beforeLabel || opts.afterLabel) {
    out.push(c.bold(`--- ${opts.beforeLabel ?? 'before'}`), c.bold(`+++ ${opts.afterLabel ?? 'after'}`));
  }
  out.push(diffSummaryLine(d));
  if (d.identical) return out.join('\n') + '\n';

  if (d.pipeline.length) {
    out.push('', c.bold('pipeline'));
    for (const v of d.pipeline) out.push(`  ${valueLine(v)}`);
  }
  if (d.params.length) {
    out.push('', c.bold('params'));
    for (const p of d.params) {
      if (p.change === 'added') out.push(c.green(`  + ${p.name}: ${paramText(p.after)}`));
      else if (p.change === 'removed') out.push(c.red(`  - ${p.name}: ${paramText(p.before)}`));
      else out.push(`  ~ ${p.name}: ${paramText(p.before)} → ${paramText(p.after)}`);
    }
  }
  const { added, removed, changed } = d.nodes;
  if (added.length || removed.length || changed.length) {
    out.push('', c.bold('nodes'));
    for (const n of added) out.push(...nodeEntry(n, '+', c));
    for (const n of removed) out.push(c.red(`  - removed  ${n.name}  (${n.kind}, id ${n.id})`));
    for (const n of changed) {
      out.push(c.yellow(`  ~ changed  ${n.name}  (${n.kind}, id ${n.id})`));
      if (n.renamed) out.push(`      renamed: ${n.renamed.from} → ${n.renamed.to}`);
      if (n.kindChanged) out.push(`      kind: ${n.kindChanged.from} → ${n.kindChanged.to}`);
      if (n.inputs) {
        const name = (id: string) => `${n.inputs!.names[id] ?? id} (${id})`;
        const parts = n.inputs.reordered
          ? ['reordered']
          : [...n.inputs.added.map((id) => `+ ${name(id)}`), ...n.inputs.removed.map((id) => `- ${name(id)}`)];
        out.push(`      inputs: ${parts.join(', ')}`);
      }
      for (const v of n.config) out.push(`      ${valueLine(v)}`);
      for (const s of n.sql) out.push(`      ${s.field}:`, ...sqlLines(s.diff, '        ', c));
    }
  }
  if (d.layout.moved.length || d.layout.charts.length || d.layout.reordered || d.layout.annotations.length) {
    out.push('', c.bold('layout only (no effect on results)'));
    for (const m of d.layout.moved) out.push(`  moved ${m.name} (${m.id}): ${pos(m.before)} → ${pos(m.after)}`);
    for (const ch of d.layout.charts) out.push(`  chart of ${ch.name} (${ch.id}): ${chartText(ch.before)} → ${chartText(ch.after)}`);
    if (d.layout.reordered) out.push('  node order in the file changed');
    for (const x of d.layout.annotations) out.push(`  ${x.type} ${x.id} ${x.change}`);
  }
  return out.join('\n') + '\n';
}

/** A saved chart in a few words: `line of ph by ts, colour batch_id`. */
export function chartText(c: ChartSpec | null): string {
  if (!c) return 'none';
  const y = c.y.length ? `${c.agg && c.mark === 'bar' ? `${c.agg} of ` : ''}${c.y.join(', ')} by ` : '';
  return `${c.mark} of ${y}${c.x}${c.color ? `, colour ${c.color}` : ''}${c.facet ? `, facet ${c.facet}` : ''}`;
}

function nodeEntry(n: NodeEntry, sign: '+', c: Colors): string[] {
  const inputs = n.node.inputs.length ? `, inputs ${n.node.inputs.join(', ')}` : '';
  const lines = [c.green(`  ${sign} added    ${n.name}  (${n.kind}, id ${n.id}${inputs})`)];
  if (n.node.description) lines.push(c.green(`      description: ${JSON.stringify(n.node.description)}`));
  const sqlKeys = new Set(sqlKeysOf(n.kind));
  for (const [key, value] of Object.entries(n.node.config)) {
    if (sqlKeys.has(key) && Array.isArray(value)) {
      lines.push(c.green(`      ${key}:`), ...value.map((l) => c.green(`        + ${String(l)}`)));
    } else {
      lines.push(c.green(`      config.${key} = ${JSON.stringify(value)}`));
    }
  }
  return lines;
}

function sqlLines(diff: LineDiff, indent: string, c: Colors): string[] {
  const out: string[] = [];
  for (const h of diff.hunks) {
    out.push(c.cyan(indent + hunkHeader(h)));
    for (const l of h.lines) {
      const line = `${indent}${l.op} ${l.text}`;
      out.push(l.op === '+' ? c.green(line) : l.op === '-' ? c.red(line) : line);
    }
  }
  return out;
}

function valueLine(v: ValueChange): string {
  if (v.change === 'added') return `${v.path}: + ${show(v.after)}`;
  if (v.change === 'removed') return `${v.path}: - ${show(v.before)}`;
  return `${v.path}: ${show(v.before)} → ${show(v.after)}`;
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function paramText(p: ParamSpec | undefined): string {
  if (!p) return '';
  const def = p.default !== undefined ? `, default ${JSON.stringify(p.default)}` : '';
  const desc = p.description ? ` (${JSON.stringify(p.description)})` : '';
  return `${p.type}${def}${desc}`;
}

function pos(p: { x: number; y: number } | null): string {
  return p ? `(${p.x}, ${p.y})` : '(none)';
}

interface Colors {
  bold: (s: string) => string;
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
}

function colors(on: boolean): Colors {
  const wrap = (code: number) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { bold: wrap(1), red: wrap(31), green: wrap(32), yellow: wrap(33), cyan: wrap(36) };
}
