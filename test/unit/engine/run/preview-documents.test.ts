import { describe, expect, it } from 'vitest';
import { WeirError } from '../../../../shared/errors';
import { diffDocs } from '../../../../shared/pipeline/doc-delta';
import type { Pipeline } from '../../../../shared/pipeline/schema';
import { PreviewSession } from '../../../../src-main/engine/run/preview-session';
import { testContext } from '../../../support/engine';

/** A session's documents by revision (no DuckDB: `document()` only keeps and applies documents). */
const doc = (sql: string): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name: 'p',
  params: {},
  nodes: [
    { id: 'a', name: 'a', kind: 'sql', inputs: [], config: { sql: ['select 1 as x'] } },
    { id: 'b', name: 'b', kind: 'sql', inputs: ['a'], config: { sql: [sql] } },
  ],
  layout: {},
});

function refusal(f: () => unknown): WeirError {
  try {
    f();
  } catch (e) {
    if (e instanceof WeirError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe("a preview session's documents", () => {
  it('keeps a whole document under a new revision and applies edits against it', () => {
    const s = new PreviewSession(testContext(), '/ws/pipelines/p.weir.json');
    const first = s.document({ pipeline: doc('select * from a') });
    const next = doc('select x + 1 as y from a');
    const second = s.document({ base: first.revision, edits: diffDocs(first.pipeline, next)! });
    expect(second.pipeline).toEqual(next);
    expect(second.revision).not.toBe(first.revision);
    // No change: the same revision, the same document.
    expect(s.document({ base: second.revision, edits: {} })).toEqual(second);
    // The older revision is still there (a request in flight, another window).
    expect(s.document({ base: first.revision, edits: {} }).pipeline).toEqual(doc('select * from a'));
  });

  it('answers stale for a revision it does not hold: another session\'s, or one pushed out by eight newer', () => {
    const s = new PreviewSession(testContext(), '/ws/pipelines/p.weir.json');
    const other = new PreviewSession(testContext(), '/ws/pipelines/p.weir.json');
    const theirs = other.document({ pipeline: doc('select 1') });
    expect(refusal(() => s.document({ base: theirs.revision, edits: {} }))).toMatchObject({ kind: 'stale' });
    const oldest = s.document({ pipeline: doc('select 0') });
    for (let i = 1; i <= 8; i++) s.document({ pipeline: doc(`select ${i}`) });
    const e = refusal(() => s.document({ base: oldest.revision, edits: {} }));
    expect(e.kind).toBe('stale');
    expect(e.message).toContain(`does not hold revision "${oldest.revision}"`);
    expect(e.message).toContain('send the whole pipeline');
  });

  it('refuses a request with both a document and edits, or with neither', () => {
    const s = new PreviewSession(testContext(), '/ws/pipelines/p.weir.json');
    const r = s.document({ pipeline: doc('select 1') });
    expect(refusal(() => s.document({ pipeline: doc('select 1'), base: r.revision, edits: {} }))).toMatchObject({ kind: 'usage' });
    expect(refusal(() => s.document({ base: r.revision }))).toMatchObject({ kind: 'usage' });
    expect(refusal(() => s.document({}))).toMatchObject({ kind: 'usage' });
  });

  it('refuses an edit that does not fit its base, and keeps the base', () => {
    const s = new PreviewSession(testContext(), '/ws/pipelines/p.weir.json');
    const r = s.document({ pipeline: doc('select 1') });
    expect(refusal(() => s.document({ base: r.revision, edits: { remove: ['zz'] } }))).toMatchObject({ kind: 'invalid', message: 'the edit was refused: there is no node "zz" to remove' });
    expect(s.document({ base: r.revision, edits: {} }).pipeline).toEqual(doc('select 1'));
  });
});
