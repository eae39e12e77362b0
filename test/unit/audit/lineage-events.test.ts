import { describe, expect, it } from 'vitest';
import { lineageConfig } from '../../../src-main/engine/audit/lineage/config';
import { OL_SCHEMA_URL, datasetName, finishEvent, lineageRunUuid, startEvent, identityOf } from '../../../src-main/engine/audit/lineage/events';
import { fakeRecord } from './fake-record';

const env = (vars: Record<string, string>) => (n: string) => vars[n];

describe('OpenLineage configuration from the environment', () => {
  it('is off unless a URL or a file is set', () => {
    expect(lineageConfig(env({}), '/ws')).toBeNull();
  });

  it('takes a full endpoint, or the standard base URL plus endpoint, a file relative to the workspace, namespace and key', () => {
    expect(lineageConfig(env({ WEIR_OPENLINEAGE_URL: 'http://m:5000/api/v1/lineage' }), '/ws')).toMatchObject({ url: 'http://m:5000/api/v1/lineage', file: null, namespace: 'weir' });
    expect(lineageConfig(env({ OPENLINEAGE_URL: 'http://m:5000/', OPENLINEAGE_NAMESPACE: 'gmp', OPENLINEAGE_API_KEY: 'k' }), '/ws')).toMatchObject({
      url: 'http://m:5000/api/v1/lineage',
      namespace: 'gmp',
      apiKey: 'k',
    });
    expect(lineageConfig(env({ OPENLINEAGE_URL: 'http://dh:8080', OPENLINEAGE_ENDPOINT: '/openapi/openlineage/api/v1/lineage' }), '/ws')!.url).toBe('http://dh:8080/openapi/openlineage/api/v1/lineage');
    expect(lineageConfig(env({ WEIR_OPENLINEAGE_FILE: '.weir/lineage.jsonl' }), '/ws')).toMatchObject({ url: null, file: '/ws/.weir/lineage.jsonl' });
  });
});

describe('OpenLineage run events', () => {
  it('give the run one UUID for all its events', () => {
    const u = lineageRunUuid('20260101T000001Z-abc001');
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(lineageRunUuid('20260101T000001Z-abc001')).toBe(u);
    expect(lineageRunUuid('20260101T000001Z-abc002')).not.toBe(u);
  });

  it('name datasets as OpenLineage does', () => {
    expect(datasetName('file:///ws/data/raw/assays.csv')).toEqual({ namespace: 'file', name: '/ws/data/raw/assays.csv' });
    expect(datasetName('s3://lake/raw/assays/2026-01.csv')).toEqual({ namespace: 's3://lake', name: 'raw/assays/2026-01.csv' });
    expect(datasetName('postgres://db.example:5432/marts.public.batch_release')).toEqual({ namespace: 'postgres://db.example:5432', name: 'marts.public.batch_release' });
  });

  it('START names the job and run; COMPLETE carries the inputs read and the outputs written', () => {
    const record = fakeRecord(1);
    record.nodes = [
      { id: 's', name: 'raw', kind: 'file_source', status: 'done', rows: 3, durationMs: 1, outputHash: 'h', cached: false, inputs: [{ uri: 'file:///ws/raw.csv', size: 10, sha256: 'd'.repeat(64) }] },
      { id: 'o', name: 'out', kind: 'file_sink', status: 'done', rows: 3, durationMs: 1, outputHash: 'h', cached: false, outputs: [{ uri: 'file:///ws/out.parquet', size: 99, sha256: 'e'.repeat(64) }] },
    ];
    const start = startEvent(identityOf(record), 'gmp', new Date('2026-01-01T00:00:00Z'));
    expect(start).toMatchObject({
      eventType: 'START',
      eventTime: '2026-01-01T00:00:00.000Z',
      run: { runId: lineageRunUuid(record.runId), facets: { weir: { runId: record.runId, pipelineSha256: 'a'.repeat(64) } } },
      job: { namespace: 'gmp', name: 'batch_release', facets: { jobType: { processingType: 'BATCH', integration: 'WEIR' } } },
      inputs: [],
      outputs: [],
      schemaURL: OL_SCHEMA_URL,
    });
    const done = finishEvent(record, 'gmp');
    expect(done.eventType).toBe('COMPLETE');
    expect(done.run.runId).toBe(start.run.runId);
    expect(done.inputs).toEqual([{ namespace: 'file', name: '/ws/raw.csv', facets: { version: expect.objectContaining({ datasetVersion: 'd'.repeat(64) }) } }]);
    expect(done.outputs).toEqual([
      {
        namespace: 'file',
        name: '/ws/out.parquet',
        facets: { version: expect.objectContaining({ datasetVersion: 'e'.repeat(64) }) },
        outputFacets: { outputStatistics: expect.objectContaining({ rowCount: 3, size: 99 }) },
      },
    ]);
    for (const facet of [done.job.facets!.jobType, done.run.facets!.weir, done.inputs[0]!.facets!.version] as Record<string, unknown>[]) {
      expect(facet._producer).toMatch(/^https:\/\//);
      expect(facet._schemaURL).toMatch(/^https:\/\/.*#\/\$defs\//);
    }
  });

  it('FAIL carries the error; a cancelled run is an ABORT; skipped sinks are not outputs', () => {
    const record = fakeRecord(1, { status: 'failed' });
    record.nodes = [
      { id: 'c', name: 'chk', kind: 'check', status: 'failed', rows: 3, durationMs: 1, outputHash: 'h', cached: false, error: 'check failed: x (1 failing row)' },
      { id: 'o', name: 'out', kind: 'file_sink', status: 'skipped', rows: null, durationMs: 0, outputHash: null, cached: false, outputs: [{ uri: 'file:///ws/out.parquet' }] },
    ];
    const fail = finishEvent(record, 'weir');
    expect(fail.eventType).toBe('FAIL');
    expect(fail.outputs).toEqual([]);
    expect(fail.run.facets!.errorMessage).toMatchObject({ message: 'node "chk": check failed: x (1 failing row)', programmingLanguage: 'SQL' });
    expect(finishEvent(fakeRecord(1, { status: 'cancelled' }), 'weir').eventType).toBe('ABORT');
  });
});
