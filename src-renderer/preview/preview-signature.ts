import { upstreamKeyText } from '../../shared/pipeline/node-key';
import type { Pipeline } from '../../shared/pipeline/schema';

/**
 * What a node's rows depend on, as the engine keys them (shared/pipeline/node-key.ts): its
 * own and its upstream nodes' key parts, with every parameter's definition. Equal signatures
 * give equal previews; the live preview refreshes when the signature of the node on show
 * changes.
 */
export function upstreamSignature(doc: Pipeline, nodeId: string): string {
  return upstreamKeyText(doc, nodeId, doc.params);
}
