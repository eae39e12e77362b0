import { createHash } from 'node:crypto';
import type { InputObject, OutputObject, RunRecord } from '../../../../shared/run/record';
import { WEIR_VERSION } from '../../context/version';
import type { PipelineLineage } from '../../../../shared/lineage';
import { sinkColumnFacets } from './column-facets';
import { datasetName } from './dataset-name';

/**
 * OpenLineage RunEvents (spec 2-0-2) for a Weir run: the job is the pipeline, the run is
 * the run id, inputs are the exact objects the sources read and outputs what sinks wrote.
 */
export const OL_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
export const PRODUCER = `https://github.com/weir-dev/weir/tree/v${WEIR_VERSION}`;
const facetBase = (schemaURL: string) => ({ _producer: PRODUCER, _schemaURL: schemaURL });

export type EventType = 'START' | 'COMPLETE' | 'FAIL' | 'ABORT';

export interface OlDataset {
  namespace: string;
  name: string;
  facets?: Record<string, unknown>;
  outputFacets?: Record<string, unknown>;
}

export interface OlRunEvent {
  eventType: EventType;
  eventTime: string;
  run: { runId: string; facets?: Record<string, unknown> };
  job: { namespace: string; name: string; facets?: Record<string, unknown> };
  inputs: OlDataset[];
  outputs: OlDataset[];
  producer: string;
  schemaURL: string;
}

/**
 * OpenLineage wants a UUID; Weir's run ids are sortable stamps. The UUID is derived from the
 * run id (name-based, RFC 4122 layout) so every event of a run carries the same one.
 */
export function lineageRunUuid(runId: string): string {
  const b = createHash('sha256').update(`weir-run:${runId}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export { datasetName } from './dataset-name';

function inputDataset(obj: InputObject): OlDataset {
  const version = obj.versionId ?? obj.etag ?? obj.sha256;
  return {
    ...datasetName(obj.uri),
    ...(version
      ? { facets: { version: { ...facetBase('https://openlineage.io/spec/facets/1-0-0/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet'), datasetVersion: version } } }
      : {}),
  };
}

function outputDataset(obj: OutputObject, rows: number | undefined, columns: Record<string, unknown> | null): OlDataset {
  const stats = rows ?? obj.rows;
  const version = obj.sha256
    ? { version: { ...facetBase('https://openlineage.io/spec/facets/1-0-0/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet'), datasetVersion: obj.sha256 } }
    : {};
  const facets = { ...version, ...(columns ?? {}) };
  return {
    ...datasetName(obj.uri),
    ...(Object.keys(facets).length ? { facets } : {}),
    ...(stats !== undefined
      ? {
          outputFacets: {
            outputStatistics: {
              ...facetBase('https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet'),
              rowCount: stats,
              ...(obj.size !== undefined ? { size: obj.size } : {}),
            },
          },
        }
      : {}),
  };
}

function uniqueBy<T extends { namespace: string; name: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((d) => {
    const k = `${d.namespace}\0${d.name}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface RunIdentity {
  runId: string;
  pipelineName: string;
  pipelineFile: string;
  pipelineSha256: string;
  gitCommit: string | null;
  environment: string;
  params: Record<string, unknown>;
}

function jobOf(id: RunIdentity, namespace: string): OlRunEvent['job'] {
  return {
    namespace,
    name: id.pipelineName,
    facets: {
      jobType: { ...facetBase('https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet'), processingType: 'BATCH', integration: 'WEIR', jobType: 'PIPELINE' },
    },
  };
}

function weirRunFacet(id: RunIdentity, extra: Record<string, unknown> = {}) {
  return {
    weir: {
      ...facetBase('https://weir.dev/spec/facets/1-0-0/WeirRunFacet.json#/$defs/WeirRunFacet'),
      runId: id.runId,
      pipelineFile: id.pipelineFile,
      pipelineSha256: id.pipelineSha256,
      gitCommit: id.gitCommit,
      environment: id.environment,
      params: id.params,
      ...extra,
    },
  };
}

export function startEvent(id: RunIdentity, namespace: string, at: Date): OlRunEvent {
  return {
    eventType: 'START',
    eventTime: at.toISOString(),
    run: { runId: lineageRunUuid(id.runId), facets: weirRunFacet(id) },
    job: jobOf(id, namespace),
    inputs: [],
    outputs: [],
    producer: PRODUCER,
    schemaURL: OL_SCHEMA_URL,
  };
}

export function identityOf(r: RunRecord): RunIdentity {
  return {
    runId: r.runId,
    pipelineName: r.pipeline.name,
    pipelineFile: r.pipeline.file,
    pipelineSha256: r.pipeline.sha256,
    gitCommit: r.pipeline.gitCommit,
    environment: r.environment,
    params: r.params,
  };
}

/**
 * COMPLETE, FAIL or ABORT, with every object read and every object published; with the run's
 * column graph, each published dataset carries its `schema` and `columnLineage` facets.
 */
export function finishEvent(r: RunRecord, namespace: string, lineage: PipelineLineage | null = null): OlRunEvent {
  const eventType: EventType = r.status === 'succeeded' ? 'COMPLETE' : r.status === 'cancelled' ? 'ABORT' : 'FAIL';
  const inputs = uniqueBy(r.nodes.flatMap((n) => (n.inputs ?? []).map(inputDataset)));
  const outputs = uniqueBy(
    r.nodes.filter((n) => n.status === 'done').flatMap((n) => {
      const columns = lineage && n.outputs?.length ? sinkColumnFacets(lineage, r, n.name, PRODUCER) : null;
      return (n.outputs ?? []).map((o) => outputDataset(o, n.outputs?.length === 1 && n.rows !== null ? n.rows : undefined, columns));
    }),
  );
  const checks = r.nodes.flatMap((n) => (n.checks ?? []).map((c) => ({ node: n.name, rule: c.rule, severity: c.severity, passed: c.passed, failingRows: c.failingRows })));
  const failed = r.nodes.find((n) => n.status === 'failed');
  const facets: Record<string, unknown> = weirRunFacet(identityOf(r), { status: r.status, checks });
  if (eventType === 'FAIL' && failed) {
    facets.errorMessage = {
      ...facetBase('https://openlineage.io/spec/facets/1-0-0/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet'),
      message: `node "${failed.name}": ${failed.error ?? 'failed'}`,
      programmingLanguage: 'SQL',
    };
  }
  return {
    eventType,
    eventTime: r.finishedAt,
    run: { runId: lineageRunUuid(r.runId), facets },
    job: jobOf(identityOf(r), namespace),
    inputs,
    outputs,
    producer: PRODUCER,
    schemaURL: OL_SCHEMA_URL,
  };
}
