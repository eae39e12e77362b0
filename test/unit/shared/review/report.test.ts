import { describe, expect, it } from 'vitest';
import { compareChecks } from '../../../../shared/review/checks';
import { escapeHtml, renderReviewHtml } from '../../../../shared/review/report-html';
import { formatReview } from '../../../../shared/review/report-text';
import { sqlShapeChange } from '../../../../shared/review/sql-shape';
import { sampleReport } from './sample-report';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'`&';

describe('the review report as HTML and text', () => {
  it('escapes every value from the pipeline or the data: names, columns, rules, sample values, inputs', () => {
    const r = sampleReport();
    const n = r.nodes[0]!;
    Object.assign(n, { name: HOSTILE, reasons: [HOSTILE] });
    n.schema.added.push({ name: HOSTILE, type: 'VARCHAR' });
    n.values!.sample = [{ key: { [HOSTILE]: HOSTILE }, base: { v: HOSTILE }, head: { v: 'x' } }];
    n.checks[0]!.rule = HOSTILE;
    r.pipeline.name = HOSTILE;
    r.inputs.objects[0]!.uri = HOSTILE;
    r.generatedBy = HOSTILE;
    const html = renderReviewHtml(r);
    expect(html).not.toMatch(/<script|<img|onerror=alert\(2\)>/);
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<[a-z][a-z0-9]*/gi)!.map((t) => t.toLowerCase()).filter((t) => !/^<(html|head|meta|title|style|body|h1|h2|h3|p|table|tr|th|td|div|span|section|ul|li|b|br|details|summary)$/.test(t))).toEqual([]);
  });

  it('names both commits, the inputs with their hashes, who generated it, when, and the versions', () => {
    const r = sampleReport();
    const html = renderReviewHtml(r);
    for (const s of [r.base.commit, r.inputs.objects[0]!.sha256!, r.generatedBy, r.generatedAt, `Weir ${r.weirVersion}`, 'working copy', 'Breaking change']) expect(html).toContain(s);
  });

  it('the text summary: verdict, then per node why, rows, values and the checks that changed', () => {
    const text = formatReview(sampleReport());
    expect(text.split('\n').slice(0, 3).join('\n')).toMatch(/review of pipelines\/batch_release\.weir\.json: aaaaaaa base → working copy \(uncommitted changes\)\ninputs: pinned to run r1\nBREAKING: 1 breaking node/);
    expect(text).toContain('✗ breaking  release (sql, direct)');
    expect(text).toContain('~v DOUBLE → DECIMAL(5,1)');
    expect(text).toContain('values by batch_id: 1 changed, 0 only in base, 0 only in head, 2 same; mismatches: v 1; e.g. B1');
    expect(text).toContain('check range_v: pass → FAIL (2)  NEWLY FAILING');
  });
});

describe('compareChecks', () => {
  it('matches rules by name and says what changed', () => {
    const c = compareChecks('chk', [{ rule: 'a', passed: true, failingRows: 0 }, { rule: 'b', passed: false, failingRows: 3 }, { rule: 'gone', passed: true, failingRows: 0 }], [
      { rule: 'a', passed: false, failingRows: 2 },
      { rule: 'b', passed: true, failingRows: 0 },
      { rule: 'new', passed: true, failingRows: 0 },
    ]);
    expect(c.map((x) => [x.rule, x.change])).toEqual([['a', 'newly_failing'], ['b', 'newly_passing'], ['gone', 'removed'], ['new', 'added']]);
  });
});

describe('sqlShapeChange (trees as json_serialize_sql gives them)', () => {
  const tree = (items: unknown[], where: unknown = null) => ({ error: false, statements: [{ node: { type: 'SELECT_NODE', select_list: items, where_clause: where, query_location: 3 } }] });
  it('positions alone are no change', () => {
    expect(sqlShapeChange({ ...tree(['a']), statements: [{ node: { type: 'SELECT_NODE', select_list: [{ c: 1, query_location: 9 }], where_clause: null } }] }, tree([{ c: 1, query_location: 40 }]))).toBe('same');
  });
  it('new select-list entries with every old one kept in order are added columns; anything else may change rows', () => {
    expect(sqlShapeChange(tree(['a', 'b']), tree(['a', 'x', 'b', 'y']))).toBe('added_columns');
    expect(sqlShapeChange(tree(['a', 'b']), tree(['b', 'a', 'c']))).toBe('changed');
    expect(sqlShapeChange(tree(['a', 'b']), tree(['a']))).toBe('changed');
    expect(sqlShapeChange(tree(['a']), tree(['a', 'b'], { w: 1 }))).toBe('changed');
    expect(sqlShapeChange({ text: 'not sql' }, { text: 'not sql either' })).toBe('changed');
  });
});
