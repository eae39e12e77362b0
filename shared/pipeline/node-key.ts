import { canonicalJson } from '../canonical-json';
import { nodeKindSpec } from '../nodes/registry';
import type { Pipeline, PipelineNode } from './schema';

/** Bump when the way results are stored changes, so old cache entries are never misread. */
export const NODE_KEY_FORMAT = 1;

/**
 * What one node's result depends on (DESIGN, "Running"): its kind, its name (the relation its
 * readers see), its config as its kind parses it (SQL included), its inputs (the names its SQL
 * reads them by, and each input's own key), the parameters it reads, and, for a source, the
 * versions of what it reads. The engine's cache key is the hash of this text
 * (engine/cache/cache-key.ts), a preview session's stamp is made the same way with a session
 * version in place of the file hashes (engine/run/preview-session.ts), and the designer's
 * live preview compares the same parts for every upstream node (`upstreamKeyText`).
 */
export interface NodeKeyParts {
  kind: string;
  name: string;
  config: unknown;
  /** Upstream keys in input order, with the names the SQL refers to them by. */
  inputs: { name: string; key: string }[];
  params: Record<string, unknown>;
  /** What a source reads (file hashes, ETags); absent for transforms. */
  fingerprint?: string;
  /** The engine's version (DuckDB's): absent where no result is stored. */
  engine?: string;
}

/** The one text form of a node's key parts; equal texts, equal results. */
export function nodeKeyText(parts: NodeKeyParts): string {
  return canonicalJson({ format: NODE_KEY_FORMAT, ...parts });
}

/** A node's config as the engine runs it (its kind's schema, defaults filled in); as written when it does not parse. */
export function configAsRun(node: Pick<PipelineNode, 'kind' | 'config'>): unknown {
  const parsed = nodeKindSpec(node.kind)?.config.safeParse(node.config);
  return parsed?.success ? parsed.data : node.config;
}

/**
 * The key parts of `nodeId` and of every node upstream of it, as one text: equal texts mean
 * the node computes the same rows from the same files. The designer refreshes a live preview
 * when this changes. It cannot know which parameters a node's SQL reads (the engine asks
 * DuckDB's parser), so every node counts all of `params`; nor the files' versions, so an
 * input stands for its node by id, and its own parts are in the text too.
 */
export function upstreamKeyText(doc: Pick<Pipeline, 'nodes'>, nodeId: string, params: Record<string, unknown>): string {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const parts: [string, string][] = [];
  const stack = [nodeId];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const n = byId.get(id);
    if (!n) continue;
    const inputs = n.inputs.map((i) => ({ name: byId.get(i)?.name ?? i, key: i }));
    parts.push([id, nodeKeyText({ kind: n.kind, name: n.name, config: configAsRun(n), inputs, params })]);
    stack.push(...n.inputs);
  }
  parts.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return canonicalJson(parts);
}
