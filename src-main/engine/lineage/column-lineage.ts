import type { DuckDBConnection } from '@duckdb/node-api';
import { buildLineage, lineagePlan, type Json, type PipelineLineage } from '../../../shared/lineage';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { boundColumns } from './bound-columns';
import { parseQueries } from './parse-sql';

/**
 * The pipeline's column graph, on a connection whose catalog holds the nodes' relations (a
 * run's session after its nodes ran, or a preview session that made them): each node's
 * query parsed by DuckDB (all in one round trip), its columns as DuckDB bound them, and the
 * pure walk in shared/lineage. Binding reads no rows.
 */
export async function pipelineLineage(conn: DuckDBConnection, pipeline: Pipeline): Promise<PipelineLineage> {
  const plan = lineagePlan(pipeline);
  const queries: { id: string; sql: string }[] = [];
  for (const [id, how] of plan) if (how.type === 'query') queries.push({ id, sql: how.sql });
  const parsed = await parseQueries(conn, queries.map((q) => q.sql));
  const trees = new Map<string, Json>(queries.map((q, i) => [q.id, parsed[i] ?? null]));
  return buildLineage(pipeline, plan, await boundColumns(conn), trees);
}
