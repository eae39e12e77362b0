import { beforeEach, describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../shared/pipeline/schema';
import type { ReviewNode, ReviewReport } from '../../../shared/review/schema';
import { marksOf, useReview } from '../../../src-renderer/git/review-store';

/** The designer's review state: marks from a report, and answers of a review that is no longer the current one ignored. */

const node = (id: string, change: ReviewNode['change'], classification: ReviewNode['classification']): ReviewNode => ({
  id,
  name: id,
  kind: 'sql',
  change,
  classification,
  reasons: [],
  schema: { added: [], removed: [], retyped: [] },
  rows: { base: 1, head: 1 },
  profile: [],
  values: null,
  checks: [],
  error: null,
});

const report = (nodes: ReviewNode[]) => ({ nodes }) as unknown as ReviewReport;
const doc = { format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes: [], layout: {} } as Pipeline;

beforeEach(() => useReview.getState().dismiss());

describe('review marks', () => {
  it('marks every node the report lists but removed ones (they have no card)', () => {
    expect(marksOf(report([node('a', 'direct', 'breaking'), node('b', 'downstream', 'non_breaking'), node('gone', 'removed', 'breaking')]))).toEqual({
      a: { change: 'direct', classification: 'breaking' },
      b: { change: 'downstream', classification: 'non_breaking' },
    });
  });

  it('takes the report of the review in progress, and drops it on dismiss', () => {
    const s = useReview.getState();
    s.begin({ reviewId: 'r1', path: 'p.weir.json', reviewed: doc, unsaved: false });
    s.onProgress('r1', { phase: 'head', node: 'a', done: 1, total: 2 });
    expect(useReview.getState().progress).toEqual({ phase: 'head', node: 'a', done: 1, total: 2 });
    s.finish('r1', report([node('a', 'direct', 'breaking')]));
    expect(useReview.getState()).toMatchObject({ phase: 'done', progress: null, marks: { a: { classification: 'breaking' } } });
    useReview.getState().dismiss();
    expect(useReview.getState()).toMatchObject({ phase: 'idle', report: null, marks: {} });
  });

  it('ignores the progress, report and failure of a review that is not the current one', () => {
    const s = useReview.getState();
    s.begin({ reviewId: 'old', path: 'p.weir.json', reviewed: doc, unsaved: false });
    s.begin({ reviewId: 'new', path: 'p.weir.json', reviewed: doc, unsaved: true });
    s.onProgress('old', { phase: 'base', done: 1, total: 2 });
    s.finish('old', report([node('a', 'direct', 'breaking')]));
    s.fail('old', 'boom', false);
    expect(useReview.getState()).toMatchObject({ phase: 'running', reviewId: 'new', progress: null, report: null, error: null, marks: {} });
    s.fail('new', 'review cancelled', true);
    expect(useReview.getState()).toMatchObject({ phase: 'cancelled', error: null });
  });
});
