import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/run/record';
import { lineageRunUuid, type OlRunEvent } from '../../../src-main/engine/audit/lineage/events';
import { runPipelineFile } from '../../support/engine';
import { runWeir } from '../../support/cli';
import { startHttpServer, type TestHttpServer } from '../../support/http-server';
import { tempDir } from '../../support/temp-dir';

/** A stand-in for Marquez: answers POSTs to /api/v1/lineage; /refuse/... answers HTTP 500. */
let server: TestHttpServer;
let base: string;
const REFUSE = '/refuse/api/v1/lineage';

/** The accepted (not refused) requests, in order: method, path with query, Authorization, parsed event. */
const received = () =>
  server.seen
    .filter((r) => r.url.pathname !== REFUSE)
    .map((r) => ({ method: r.method, path: `${r.url.pathname}${r.url.search}`, auth: r.headers.authorization, body: JSON.parse(r.body) as OlRunEvent }));

beforeAll(async () => {
  server = await startHttpServer((req) => (req.url.pathname === REFUSE ? { status: 500, body: '' } : { status: 201, body: {} }));
  base = server.url;
});
afterAll(() => server.close());

function pipeline(dir: string, viability: number): string {
  writeFileSync(join(dir, 'raw.csv'), `batch_id,viability_pct\nB0001,91.5\nB0002,${viability}\n`);
  const file = join(dir, 'lineage.weir.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'weir.pipeline',
      version: 1,
      name: 'lineage_demo',
      nodes: [
        { id: 'src', name: 'raw', kind: 'file_source', config: { path: 'raw.csv', format: 'csv' } },
        { id: 'chk', name: 'raw_checked', kind: 'check', inputs: ['src'], config: { rules: [{ type: 'range', column: 'viability_pct', min: 0, max: 100 }] } },
        { id: 'out', name: 'out', kind: 'file_sink', inputs: ['chk'], config: { path: 'out/result.parquet', format: 'parquet' } },
      ],
    }),
  );
  return file;
}

describe('OpenLineage events', () => {
  it('POSTs START and COMPLETE (with input and output datasets) and appends them to a file, from the CLI', async () => {
    const dir = tempDir();
    server.seen.length = 0;
    const res = await runWeir(['run', pipeline(dir, 88)], {
      env: { OPENLINEAGE_URL: base, OPENLINEAGE_API_KEY: 'test-token', OPENLINEAGE_NAMESPACE: 'gmp-site', WEIR_OPENLINEAGE_FILE: 'lineage/events.jsonl' },
    });
    expect(res.code).toBe(0);
    expect(received().map((r) => [r.method, r.path, r.auth, r.body.eventType])).toEqual([
      ['POST', '/api/v1/lineage', 'Bearer test-token', 'START'],
      ['POST', '/api/v1/lineage', 'Bearer test-token', 'COMPLETE'],
    ]);
    const [start, complete] = received().map((r) => r.body);
    expect(start!.run.runId).toBe(complete!.run.runId);
    expect(start!.job).toMatchObject({ namespace: 'gmp-site', name: 'lineage_demo' });
    expect(complete!.inputs).toEqual([expect.objectContaining({ namespace: 'file', name: join(dir, 'raw.csv') })]);
    expect(complete!.outputs).toEqual([expect.objectContaining({ namespace: 'file', name: join(dir, 'out/result.parquet'), outputFacets: { outputStatistics: expect.objectContaining({ rowCount: 2 }) } })]);
    const fromFile = readFileSync(join(dir, 'lineage/events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as OlRunEvent);
    expect(fromFile).toEqual([start, complete]);
    // The same run in the record and in lineage; the token is nowhere in the record.
    const runId = (complete!.run.facets!.weir as { runId: string }).runId;
    expect(lineageRunUuid(runId)).toBe(complete!.run.runId);
    expect(readFileSync(join(dir, '.weir/runs', `${runId}.json`), 'utf8')).not.toContain('test-token');
  });

  it('sends FAIL with the error when a check blocks the run, and no outputs', async () => {
    const dir = tempDir();
    server.seen.length = 0;
    const outcome = await runPipelineFile({ file: pipeline(dir, 880), useCache: false, secrets: (n) => ({ WEIR_OPENLINEAGE_URL: `${base}/api/v1/lineage` })[n] });
    expect(outcome.status).toBe('failed');
    const fail = received()[1]!.body;
    expect(fail.eventType).toBe('FAIL');
    expect(fail.outputs).toEqual([]);
    expect(fail.run.facets!.errorMessage).toMatchObject({ message: 'node "raw_checked": check failed: range_viability_pct (1 failing row)' });
  });

  it('records a warning and still succeeds when the endpoint refuses or is unreachable', async () => {
    const dir = tempDir();
    const outcome = await runPipelineFile({ file: pipeline(dir, 88), useCache: false, secrets: (n) => ({ OPENLINEAGE_URL: `${base}/refuse` })[n] });
    expect(outcome.status).toBe('succeeded');
    // The endpoint's URL is a secret like any resolved value: shown by its origin only.
    expect(outcome.record.warnings).toEqual([`OpenLineage START event refused by ${base}/***: HTTP 500`, `OpenLineage COMPLETE event refused by ${base}/***: HTTP 500`]);
    const closed = await runPipelineFile({ file: pipeline(dir, 88), useCache: false, secrets: (n) => ({ WEIR_OPENLINEAGE_URL: 'http://user:secret@127.0.0.1:9/lineage' })[n] });
    expect(closed.status).toBe('succeeded');
    expect(closed.record.warnings?.[0]).toMatch(/^OpenLineage START event not sent to http:\/\/127\.0\.0\.1:9\/\*\*\*: /);
    expect(JSON.stringify(closed.record as RunRecord)).not.toContain('secret');
  });

  it('sends user:password given in the URL as Basic auth, not in the URL', async () => {
    const dir = tempDir();
    server.seen.length = 0;
    const url = base.replace('http://', 'http://lineage:s3cr%40t@') + '/api/v1/lineage';
    const outcome = await runPipelineFile({ file: pipeline(dir, 88), useCache: false, secrets: (n) => ({ WEIR_OPENLINEAGE_URL: url })[n] });
    expect(outcome.record.warnings).toBeUndefined();
    expect(received().map((r) => r.auth)).toEqual([`Basic ${Buffer.from('lineage:s3cr@t').toString('base64')}`, `Basic ${Buffer.from('lineage:s3cr@t').toString('base64')}`]);
  });
});
