import type { PipelineNode } from '../pipeline/schema';
import { nodeDetail, nodeKindSpec } from '../nodes/registry';
import type { PivotConfig } from '../nodes/pivot/config';
import { pivotLineageSql } from '../nodes/pivot/lineage';
import type { UnpivotConfig } from '../nodes/unpivot/config';
import { unpivotLineageSql } from '../nodes/unpivot/lineage';
import type { WideToLongConfig } from '../nodes/wide-to-long/config';

/**
 * How a node's columns relate to its inputs', by kind. Declared here, keyed by kind and
 * falling back on what each definition already says (shared/nodes/<kind>/): a transform's
 * lineage is that of the SELECT it runs (a SQL node's own query, a low-code kind's generated
 * one), a source's columns originate at what it reads, checks and sinks pass their first
 * input's columns through unchanged.
 */
export type KindLineage =
  | { type: 'origin'; origin: string | null }
  | { type: 'pass'; input: number }
  | { type: 'query'; sql: string }
  | { type: 'unknown'; reason: string };

type Rule = (node: PipelineNode, config: unknown, inputNames: readonly string[]) => KindLineage;

/**
 * Kinds whose lineage is not what their category implies; a new kind adds itself here. The
 * reshaping steps run PIVOT / UNPIVOT, which the lineage walk does not read: each gives an
 * equivalent SELECT of the same columns in the same order instead. Wide to long by a pattern
 * (`COLUMNS('regex')`) stays unknown, as any COLUMNS pattern does.
 */
const RULES: Readonly<Record<string, Rule>> = {
  pivot: (_node, config, inputs) => ({ type: 'query', sql: pivotLineageSql(config as PivotConfig, inputs) }),
  unpivot: (_node, config, inputs) => {
    const c = config as UnpivotConfig;
    return { type: 'query', sql: unpivotLineageSql(c.columns, c.name_column, c.value_column, inputs) };
  },
  wide_to_long: (_node, config, inputs) => {
    const c = config as WideToLongConfig;
    if (c.match !== 'list' || !c.columns) return { type: 'unknown', reason: `its columns are chosen by the pattern ${JSON.stringify(c.pattern)} when DuckDB binds it` };
    return { type: 'query', sql: unpivotLineageSql(c.columns, c.name_column, c.value_column, inputs) };
  },
};

export function kindLineage(node: PipelineNode, inputNames: readonly string[]): KindLineage {
  const def = nodeKindSpec(node.kind);
  if (!def) return { type: 'unknown', reason: `node kind "${node.kind}" is not known to this build` };
  const parsed = def.config.safeParse(node.config);
  if (!parsed.success) return { type: 'unknown', reason: `its config does not parse: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  const rule = RULES[node.kind];
  if (rule) return rule(node, parsed.data, inputNames);
  try {
    switch (def.category) {
      case 'source':
        return { type: 'origin', origin: nodeDetail(node.kind, node.config) };
      case 'check':
      case 'sink':
        return inputNames.length ? { type: 'pass', input: 0 } : { type: 'unknown', reason: 'it has no input' };
      case 'transform': {
        if (def.select) return { type: 'query', sql: def.select(parsed.data, inputNames).join('\n') };
        const queries = def.queries?.(parsed.data, { nodeName: node.name, nodeId: node.id, inputNames, fanOut: 1 }) ?? [];
        if (queries.length === 1) return { type: 'query', sql: queries[0]! };
        return { type: 'unknown', reason: `node kind "${node.kind}" declares no column lineage` };
      }
    }
  } catch (e) {
    return { type: 'unknown', reason: (e as Error).message };
  }
  return { type: 'unknown', reason: `node kind "${node.kind}" declares no column lineage` };
}
