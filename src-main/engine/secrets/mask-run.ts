import type { RunEvent } from '../../../shared/run/events';
import type { RunRecord } from '../../../shared/run/record';
import type { JsonPath, Redactor } from './redactor';

/**
 * What a run writes out, masked by shape: every string is masked but for identities that come
 * from the pipeline file or the engine, never from a resolved value (ids, names, kinds,
 * hashes, times). New fields are masked by default.
 */
const RECORD_KEPT = [
  ['format'],
  ['runId'],
  ['pipeline', 'name'],
  ['pipeline', 'file'],
  ['pipeline', 'sha256'],
  ['pipeline', 'gitCommit'],
  ['environment'],
  ['selection'],
  ['startedAt'],
  ['finishedAt'],
  ['status'],
  ['user'],
  ['host'],
  ['weirVersion'],
  ['duckdbVersion'],
  ['nodes', '*', 'id'],
  ['nodes', '*', 'name'],
  ['nodes', '*', 'kind'],
  ['nodes', '*', 'status'],
  ['nodes', '*', 'outputHash'],
  ['nodes', '*', 'cacheKey'],
  ['nodes', '*', 'inputs', '*', 'etag'],
  ['nodes', '*', 'inputs', '*', 'versionId'],
  ['nodes', '*', 'inputs', '*', 'sha256'],
  ['nodes', '*', 'outputs', '*', 'sha256'],
  ['nodes', '*', 'checks', '*', 'rule'],
  ['nodes', '*', 'checks', '*', 'severity'],
  ['nodes', '*', 'checks', '*', 'type'],
] as const;

const EVENT_KEPT = [['type'], ['runId'], ['nodeId'], ['name'], ['pipeline'], ['at'], ['status'], ['recordPath'], ['nodes', '*', 'id'], ['nodes', '*', 'name'], ['nodes', '*', 'kind']] as const;

function matcher(patterns: readonly (readonly string[])[]): (path: JsonPath) => boolean {
  return (path) => patterns.some((p) => p.length === path.length && p.every((step, i) => step === '*' || step === path[i]));
}

const keptInRecord = matcher(RECORD_KEPT);
const keptInEvent = matcher(EVENT_KEPT);

/** A run record as it may be written (run file, audit entry, report, lineage). */
export function maskRunRecord(redactor: Redactor, record: RunRecord): RunRecord {
  return redactor.maskJson(record, keptInRecord);
}

/** A progress event as a shell may print or show it. */
export function maskRunEvent(redactor: Redactor, event: RunEvent): RunEvent {
  return redactor.maskJson(event, keptInEvent);
}

/** Keys of an OpenLineage event whose values are the spec's or Weir's own, never a resolved value. */
const LINEAGE_KEPT = new Set(['eventType', 'eventTime', 'runId', 'producer', 'schemaURL', '_producer', '_schemaURL', 'processingType', 'integration', 'jobType', 'pipelineSha256', 'gitCommit']);

/** An OpenLineage event as it may be sent or appended to a file. */
export function maskLineageEvent<T>(redactor: Redactor, event: T): T {
  return redactor.maskJson(event, (path) => LINEAGE_KEPT.has(String(path[path.length - 1])));
}
