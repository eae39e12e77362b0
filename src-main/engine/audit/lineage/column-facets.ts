import { sourceColumns, type PipelineLineage } from '../../../../shared/lineage';
import type { RunRecord } from '../../../../shared/run/record';
import { datasetName } from './dataset-name';

/**
 * OpenLineage's `schema` and `columnLineage` dataset facets (1-2-0) for what one sink wrote:
 * its columns with their DuckDB types, and for each column the source columns it comes from,
 * as fields of the datasets those sources read (every object a source read carries them: a
 * glob read of many files names each). Each input field says DIRECT or INDIRECT, as a trace
 * of Weir's column graph found it (shared/lineage). Sources that read no object (seed rows,
 * an API response) have no dataset in the event and are left out of the facet.
 */
const SCHEMA_URL = 'https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet';
const COLUMN_LINEAGE_URL = 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet';

interface InputField {
  namespace: string;
  name: string;
  field: string;
  transformations: { type: 'DIRECT' | 'INDIRECT' }[];
}

export function sinkColumnFacets(graph: PipelineLineage, record: RunRecord, sinkName: string, producer: string): Record<string, unknown> | null {
  const sink = graph.nodes.find((n) => n.name === sinkName);
  if (!sink || !sink.columns.length) return null;
  const datasetsOf = new Map<string, { namespace: string; name: string }[]>();
  for (const n of record.nodes) datasetsOf.set(n.name.toLowerCase(), (n.inputs ?? []).map((o) => datasetName(o.uri)));
  const fields: Record<string, { inputFields: InputField[] }> = {};
  for (const column of sink.columns) {
    const inputFields: InputField[] = [];
    for (const hit of sourceColumns(graph, { node: sink.name, column: column.name })) {
      for (const ds of datasetsOf.get(hit.node.toLowerCase()) ?? []) {
        inputFields.push({ ...ds, field: hit.column, transformations: [{ type: hit.via === 'direct' ? 'DIRECT' : 'INDIRECT' }] });
      }
    }
    fields[column.name] = { inputFields };
  }
  return {
    schema: {
      _producer: producer,
      _schemaURL: SCHEMA_URL,
      fields: sink.columns.map((c, i) => ({ name: c.name, ...(c.type ? { type: c.type } : {}), ordinal_position: i + 1 })),
    },
    columnLineage: { _producer: producer, _schemaURL: COLUMN_LINEAGE_URL, fields },
  };
}
