import { relative } from 'node:path';
import { ruleNames, type CheckConfig } from '../../../shared/nodes/check/config';
import type { LoadedPipeline } from '../pipeline/load';
import { pipelineWorkspace } from '../workspace/workspace';

/** What an export needs to know of a pipeline; every text here came from the file and is quoted where it lands. */
export interface ExportTarget {
  /** The pipeline's name, as the file gives it. */
  name: string;
  /** The file's path from the workspace folder, with `/`: where the runner finds it in a checkout. */
  file: string;
  /** The partition key (`partitions.key`), or null for a pipeline without lots. */
  partitionKey: string | null;
  /** Every check rule, by the node that holds it and its display name (what run records report). */
  checks: { node: string; rule: string; severity: 'error' | 'warn' }[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * The partition key, read from the file's own JSON (the pipeline schema may not know the field
 * yet): a string that is an identifier, or null; anything else is taken as no partitioning.
 */
function partitionKeyOf(text: string): string | null {
  try {
    const raw = JSON.parse(text) as { partitions?: { key?: unknown } };
    const key = raw?.partitions?.key;
    return typeof key === 'string' && IDENTIFIER.test(key) ? key : null;
  } catch {
    return null;
  }
}

export function exportTarget(loaded: LoadedPipeline): ExportTarget {
  const ws = pipelineWorkspace(loaded.path);
  const checks = loaded.pipeline.nodes.flatMap((n) => {
    if (n.kind !== 'check') return [];
    const rules = (n.config as Partial<CheckConfig>).rules ?? [];
    const names = ruleNames(rules);
    return rules.map((r, i) => ({ node: n.name, rule: names[i]!, severity: r.severity ?? 'error' }));
  });
  return { name: loaded.pipeline.name, file: relative(ws.root, loaded.path).replace(/\\/g, '/'), partitionKey: partitionKeyOf(loaded.text), checks };
}
