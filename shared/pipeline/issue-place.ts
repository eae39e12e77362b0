import { z } from 'zod';
import { PipelineInvalidError, type ValidationIssue } from '../errors';
import { nodeKindSpec } from '../nodes/registry';
import type { Pipeline, PipelineNode } from './schema';

/**
 * Where a problem is, in the words a user reads: a validation issue's JSON path
 * (`nodes[21].config.aggregates[0].column`) becomes the node it is about (by name, never by
 * position), the field inside the node (`config.aggregates[0].column`) and that field's label
 * as the form shows it (`Aggregates #1 › Column`). Pure, so the engine's errors and the
 * designer's problems list word a problem the same way.
 */
export interface IssuePlace {
  node: PipelineNode | null;
  /** Inside the node (`config.sql`, `inputs`, `name`; '' for the node as a whole), or the whole path when about no node. */
  field: string;
  /** The field as a form labels it (`Aggregates #1 › Column`); null for the node as a whole or the pipeline. */
  fieldLabel: string | null;
}

const NODE_PATH = /^nodes\[(\d+)\]\.?/;

/** Splits a JSON path as `jsonPath` writes it: `a.b[0]["c d"]` → ['a', 'b', 0, 'c d']. */
export function splitJsonPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

const ACRONYMS = new Set(['sql', 'csv', 'url', 'id', 'json', 'http', 's3', 'api']);

/** `order_by` → `Order by` (the label a field without a description gets, as in the forms). */
export function humanizeKey(key: string): string {
  const words = key.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(' ');
  const s = words.map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w)).join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

type Js = Record<string, unknown>;
const jsonSchemas = new WeakMap<z.ZodType, Js | null>();

function jsonSchemaOf(schema: z.ZodType): Js | null {
  if (!jsonSchemas.has(schema)) {
    let js: Js | null = null;
    try {
      js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Js;
    } catch {
      js = null;
    }
    jsonSchemas.set(schema, js);
  }
  return jsonSchemas.get(schema) ?? null;
}

/** The sub-schema for `key` of an object schema (or of whichever variant of a union has it). */
function propertyOf(s: Js, key: string, value: unknown): Js | null {
  const props = s.properties as Record<string, Js> | undefined;
  if (props && Object.hasOwn(props, key)) return props[key]!;
  const alts = (s.anyOf ?? s.oneOf) as Js[] | undefined;
  if (!alts) return null;
  // A variant whose constant fields the value matches (a check rule's `type`), else the first that has the key.
  const fits = (a: Js) => Object.entries((a.properties ?? {}) as Record<string, Js>).every(([k, p]) => p.const === undefined || !value || typeof value !== 'object' || (value as Js)[k] === p.const);
  const withKey = alts.filter((a) => a.properties && Object.hasOwn(a.properties as Js, key));
  const pick = withKey.find(fits) ?? withKey[0];
  return pick ? (pick.properties as Record<string, Js>)[key]! : null;
}

const labelOf = (s: Js | null, key: string) => {
  const d = typeof s?.description === 'string' ? s.description : '';
  const dash = d.indexOf(' — ');
  return dash > 0 ? d.slice(0, dash) : d && d.length <= 40 ? d : humanizeKey(key);
};

/**
 * A config field's label as the forms show it: the part of its description before ` — `, or
 * its key in words; an item of a list is `#n` (1-based). `['aggregates', 0, 'column']` of an
 * aggregate → `Aggregates #1 › Column`.
 */
export function configFieldLabel(kind: string, path: readonly (string | number)[], config?: unknown): string {
  const spec = nodeKindSpec(kind);
  let s: Js | null = spec ? jsonSchemaOf(spec.config) : null;
  let value: unknown = config;
  const parts: string[] = [];
  for (const seg of path) {
    if (typeof seg === 'number') {
      const last = parts.pop();
      parts.push(last === undefined ? `#${seg + 1}` : `${last} #${seg + 1}`);
      s = s && typeof s.items === 'object' ? (s.items as Js) : null;
      value = Array.isArray(value) ? value[seg] : undefined;
      continue;
    }
    const sub = s ? propertyOf(s, seg, value) : null;
    parts.push(labelOf(sub, seg));
    s = sub;
    value = value && typeof value === 'object' ? (value as Js)[seg] : undefined;
  }
  return parts.join(' › ');
}

const NODE_FIELDS: Record<string, string> = { name: 'Name', inputs: 'Inputs', kind: 'Kind', id: 'Id', description: 'Description', config: 'Settings' };

/** The label of a field inside a node (`config.sql` → `SQL`, `inputs[1]` → `Inputs #2`). */
export function nodeFieldLabel(node: PipelineNode, field: string): string | null {
  if (!field) return null;
  const [head, ...rest] = splitJsonPath(field);
  if (head === 'config') return rest.length ? configFieldLabel(node.kind, rest, node.config) : NODE_FIELDS.config!;
  if (typeof head !== 'string') return field;
  const base = NODE_FIELDS[head] ?? humanizeKey(head);
  return typeof rest[0] === 'number' ? `${base} #${rest[0] + 1}` : base;
}

/** The node and field a validation issue of `p` is about. */
export function issuePlace(p: Pipeline, path: string): IssuePlace {
  const m = NODE_PATH.exec(path);
  const node = m ? p.nodes[Number(m[1])] : undefined;
  if (!node) return { node: null, field: path, fieldLabel: null };
  const field = path.replace(NODE_PATH, '');
  return { node, field, fieldLabel: nodeFieldLabel(node, field) };
}

/**
 * A message without the words that only repeat its node (`node "x": `, `file_sink "x", `),
 * for where the node is already named beside it.
 */
export function withoutNodePrefix(message: string, node: Pick<PipelineNode, 'name' | 'kind'>): string {
  // Both from the file: escaped, as a hostile kind or name must not make a pattern (or break one).
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return message.replace(new RegExp(`^(?:node|${esc(node.kind)}|check node) "${esc(node.name)}"(?::|,) `), '');
}

/**
 * One line naming the node, the field and what is wrong:
 * `aggregate "avg_viability", Aggregates #1 › Column: expected the column avg reads`.
 */
export function describeIssue(p: Pipeline, issue: ValidationIssue): string {
  const { node, field, fieldLabel } = issuePlace(p, issue.path);
  // The graph as a whole (a cycle) and a message naming its parameter need no place; anything else outside a node keeps its path.
  if (!node) return field && field !== 'nodes' && !/^parameter /.test(issue.message) ? `${field}: ${issue.message}` : issue.message;
  const where = `${node.kind} "${node.name}"${fieldLabel ? `, ${fieldLabel}` : ''}`;
  return `${where}: ${withoutNodePrefix(issue.message, node)}`;
}

/** The issues about the nodes in `ids`, and those about the graph as a whole (a cycle). */
export function issuesOfNodes(p: Pipeline, issues: readonly ValidationIssue[], ids: ReadonlySet<string>): ValidationIssue[] {
  return issues.filter((i) => {
    if (i.path === 'nodes') return true;
    const { node } = issuePlace(p, i.path);
    return node !== null && ids.has(node.id);
  });
}

/**
 * The error for nodes that cannot be computed as they are: an `invalid` error (a 400, never
 * an internal one) whose line names the first problem's node, field and what is wrong, and
 * that carries every issue and the node, for the designer to link.
 */
export function invalidNodesError(p: Pipeline, issues: ValidationIssue[], source = 'pipeline'): PipelineInvalidError {
  const first = issues[0];
  if (!first) return new PipelineInvalidError(source, issues);
  const { node } = issuePlace(p, first.path);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new PipelineInvalidError(source, issues, `${describeIssue(p, first)}${more}`, node ? { nodeId: node.id, nodeName: node.name } : {});
}
