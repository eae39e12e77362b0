import { describe, expect, it } from 'vitest';
import { renderCheckReport } from '../../../src-main/engine/audit/report/check-report';
import { fakeRecord } from './fake-record';

describe('HTML check report', () => {
  const record = fakeRecord(1, {
    status: 'failed',
    nodes: [
      {
        id: 'chk',
        name: 'assays_checked',
        kind: 'check',
        status: 'failed',
        rows: 240,
        durationMs: 30,
        outputHash: 'c'.repeat(64),
        cached: false,
        error: 'check failed: viability_is_a_percentage (1 failing row)',
        checks: [
          { rule: 'not_null_batch_id', type: 'not_null', severity: 'error', passed: true, failingRows: 0, sample: [], message: 'ok: batch_id is not null' },
          {
            rule: 'viability_is_a_percentage',
            type: 'range',
            severity: 'error',
            passed: false,
            failingRows: 1,
            description: 'A viability above 100 % is a transcription error',
            message: '1 failing row: expected result_value in [0, 100]',
            sample: [{ batch_id: 'B0017', result_value: 923, note: '<script>alert("x")</script>', missing: null }],
          },
          { rule: 'sterility_text', type: 'accepted_values', severity: 'warn', passed: false, failingRows: 7, sample: [{ batch_id: 'B0001' }], message: '7 failing rows' },
        ],
      },
      { id: 'out', name: 'out_batch_release', kind: 'file_sink', status: 'skipped', rows: null, durationMs: 0, outputHash: null, cached: false },
    ],
  });
  const html = renderCheckReport(record);

  it('shows each rule with pass, fail or warn and the failing rows', () => {
    expect(html).toMatch(/<span class="badge pass">PASS<\/span><\/td><td><code>not_null_batch_id<\/code>/);
    expect(html).toMatch(/<span class="badge fail">FAIL<\/span><\/td><td><code>viability_is_a_percentage<\/code>/);
    expect(html).toMatch(/<span class="badge warn">WARN<\/span><\/td><td><code>sterility_text<\/code>/);
    expect(html).toContain('<h3>viability_is_a_percentage: failing rows</h3>');
    expect(html).toContain('<td>B0017</td><td>923</td>');
    expect(html).toContain('<span class="null">NULL</span>');
    expect(html).toContain('First 1 of 7 failing rows.');
    expect(html).toContain('everything downstream of this check was skipped');
    expect(html).toMatch(/<code>out_batch_release<\/code><\/td><td>file_sink<\/td><td><span class="badge skip">skipped/);
    expect(html).toMatch(/<div class="card">Failed<b>1<\/b><\/div>/);
  });

  it('is self-contained and escapes every value', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(html).not.toMatch(/<(link|img|iframe)\b|src=|href=/);
    expect(html).toContain(`default-src 'none'`);
  });

  it('says why a skipped check has no results', () => {
    const skipped = fakeRecord(3, { nodes: [{ id: 'c', name: 'release_checked', kind: 'check', status: 'skipped', rows: null, durationMs: 0, outputHash: null, cached: false }] });
    expect(renderCheckReport(skipped)).toContain('Not evaluated: a node upstream of it did not finish.');
  });

  it('says so when the pipeline has no checks', () => {
    expect(renderCheckReport(fakeRecord(2, { nodes: [] }))).toContain('This pipeline has no check nodes.');
  });
});
