import { nodeKindSpecs } from '../../shared/nodes/registry';
import type { Pipeline } from '../../shared/pipeline/schema';
import { CATEGORY_LABEL } from '../canvas/kind-style';
import { fuzzyScore } from './fuzzy';

/** One row of the command palette. */
export interface CommandItem {
  /** Unique within the list, and an element id's tail. */
  key: string;
  group: 'node' | 'command' | 'add';
  label: string;
  /** Shown after the label, dimmed: a node's kind, a command's keys. */
  hint?: string;
  /** What else the query may match: a kind's name and category, a node's id. */
  also?: string[];
}

export interface CommandSource {
  label: string;
  keys?: string;
}

/** The nodes, the commands (each label once) and a row per node kind to add one. */
export function commandItems(doc: Pipeline | null, commands: readonly CommandSource[], keyLabel: (keys: string) => string = (k) => k): CommandItem[] {
  const out: CommandItem[] = [];
  for (const n of doc?.nodes ?? []) {
    const kind = nodeKindSpecs.find((k) => k.kind === n.kind);
    out.push({ key: `node:${n.id}`, group: 'node', label: n.name, hint: kind?.label ?? n.kind, also: [n.id] });
  }
  const seen = new Set<string>();
  commands.forEach((c, i) => {
    if (seen.has(c.label)) return;
    seen.add(c.label);
    out.push({ key: `cmd:${i}`, group: 'command', label: c.label, ...(c.keys ? { hint: keyLabel(c.keys) } : {}) });
  });
  if (doc) {
    for (const k of nodeKindSpecs) out.push({ key: `add:${k.kind}`, group: 'add', label: `Add ${k.label}`, hint: CATEGORY_LABEL[k.category], also: [k.kind, k.category] });
  }
  return out;
}

/** The order groups come in when scores tie (and with an empty query): nodes, commands, then adding. */
const GROUP_RANK: Record<CommandItem['group'], number> = { node: 0, command: 1, add: 2 };

/**
 * The items matching `query` (fuzzy, see fuzzy.ts), best first; at most `limit` (a pipeline of
 * thousands of nodes lists the best few dozen, not all of them).
 */
export function rankItems(items: readonly CommandItem[], query: string, limit = 50): CommandItem[] {
  const scored: { item: CommandItem; score: number; i: number }[] = [];
  items.forEach((item, i) => {
    const scores = [item.label, ...(item.also ?? [])].map((t) => fuzzyScore(query, t)).filter((s): s is number => s !== null);
    if (!scores.length) return;
    scored.push({ item, score: Math.min(...scores), i });
  });
  scored.sort((a, b) => a.score - b.score || GROUP_RANK[a.item.group] - GROUP_RANK[b.item.group] || a.i - b.i);
  return scored.slice(0, limit).map((x) => x.item);
}
