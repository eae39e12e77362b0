import type { ValidationIssue } from '../../shared/errors';
import { nodeKindSpec } from '../../shared/nodes/registry';
import { upstreamOf } from '../../shared/pipeline/graph';
import { checkNodes } from '../../shared/pipeline/parse';
import type { Pipeline } from '../../shared/pipeline/schema';

/**
 * What the engine would refuse a document for (pipeline.validate with the workspace: the
 * sandbox's SQL and path checks, parameters, environment, connections), beyond what the
 * designer finds by itself. Kept by node id rather than by position, so that an answer about
 * a slightly older document still lands on the right cards while the next one is on its way.
 */
export interface EngineProblem {
  /** The node it is about; null for the pipeline (a parameter, the environment). */
  nodeId: string | null;
  /** Inside the node (`config.sql`), or the whole JSON path when it is about no node. */
  path: string;
  /** One line; about a node it names it (`node "x": ...`, `file_sink "x": ...`). */
  message: string;
}

const NODE_PATH = /^nodes\[(\d+)\]\.?/;
const key = (i: ValidationIssue) => `${i.path}\u0000${i.message}`;

/** The engine's answer about `sent` without the problems the designer's own checks list. */
export function engineOnly(sent: Pipeline, issues: readonly ValidationIssue[]): EngineProblem[] {
  const local = new Set(checkNodes(sent).map(key));
  const out: EngineProblem[] = [];
  for (const issue of issues) {
    if (local.has(key(issue))) continue;
    const m = NODE_PATH.exec(issue.path);
    const node = m ? sent.nodes[Number(m[1])] : undefined;
    out.push(node ? { nodeId: node.id, path: issue.path.replace(NODE_PATH, ''), message: issue.message } : { nodeId: null, path: issue.path, message: issue.message });
  }
  return out;
}

/** An engine problem as an issue of `doc`: its node's current position, or null once the node is gone. */
export function asIssue(doc: Pipeline, index: ReadonlyMap<string, number>, p: EngineProblem): ValidationIssue | null {
  if (p.nodeId === null) return { path: p.path, message: p.message };
  const i = index.get(p.nodeId);
  if (i === undefined) return null;
  const rest = p.path === '' ? '' : p.path.startsWith('[') ? p.path : `.${p.path}`;
  return { path: `nodes[${i}]${rest}`, message: p.message };
}

/** The designer's own problems, then the engine's, each once. */
export function mergeIssues(doc: Pipeline, local: readonly ValidationIssue[], engine: readonly EngineProblem[]): ValidationIssue[] {
  if (!engine.length) return [...local];
  const index = new Map(doc.nodes.map((n, i) => [n.id, i]));
  const seen = new Set(local.map(key));
  const out = [...local];
  for (const p of engine) {
    const issue = asIssue(doc, index, p);
    if (!issue || seen.has(key(issue))) continue;
    seen.add(key(issue));
    out.push(issue);
  }
  return out;
}

/**
 * What stops a preview of `nodeId`: the first engine problem of a node the preview computes.
 * The engine's preview checks only those (the node and its upstream, sinks left out: a sink
 * is previewed as the rows it would write, and never runs), so a problem elsewhere, or one
 * about the whole pipeline (a parameter value, the environment), does not stop it here; if
 * the engine refuses the preview anyway, its own error is shown.
 */
export function previewBlocker(doc: Pipeline, nodeId: string, engine: readonly EngineProblem[]): EngineProblem | null {
  if (!engine.length) return null;
  const computed = upstreamOf(doc.nodes, nodeId);
  computed.add(nodeId);
  const kinds = new Map(doc.nodes.map((n) => [n.id, n.kind]));
  return engine.find((p) => p.nodeId !== null && computed.has(p.nodeId) && nodeKindSpec(kinds.get(p.nodeId) ?? '')?.category !== 'sink') ?? null;
}

/** What stops a run: any engine problem (the run's own preflight would refuse every one). */
export function runBlocker(engine: readonly EngineProblem[]): EngineProblem | null {
  return engine[0] ?? null;
}

/** One line for a refusal: the first problem, and how many more there are. */
export function refusal(what: 'preview' | 'run', first: EngineProblem, total = 1): string {
  const more = total > 1 ? ` (and ${total - 1} more problem${total > 2 ? 's' : ''})` : '';
  return `Cannot ${what}: ${first.message}${more}`;
}
