import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WeirError } from '../../../shared/errors';
import type { ReviewReport } from '../../../shared/review/schema';
import type { Engine, ReviewRequest } from '../../../src-main/engine';
import { ReviewManager } from '../../../src-main/api/review';

/**
 * The API's review manager over a stand-in engine.review: what it hands the engine (the file
 * in the workspace, the unsaved document as the head), its progress out as events with the
 * caller's id, and cancel: of a review running, and of one whose cancel arrived first.
 */

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'weir-review-mgr-'));
  await mkdir(join(root, 'pipelines'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const report = { format: 'weir.review' } as unknown as ReviewReport;

/** An engine whose review reports one step, then waits for its signal (or ends at once when `wait` is false). */
function fakeEngine(wait: boolean) {
  const seen: ReviewRequest[] = [];
  const engine = {
    review: (req: ReviewRequest) =>
      new Promise<ReviewReport>((resolve, reject) => {
        seen.push(req);
        const stop = () => reject(new WeirError('cancelled', 'review cancelled'));
        if (req.signal?.aborted) return stop();
        req.onProgress?.({ phase: 'base', node: 'good', done: 1, total: 4 });
        if (!wait) return resolve(report);
        req.signal?.addEventListener('abort', stop);
      }),
  } as unknown as Engine;
  return { engine, seen };
}

describe('ReviewManager', () => {
  it('reviews the file in the workspace with the unsaved document as head, streaming progress under the caller id', async () => {
    const { engine, seen } = fakeEngine(false);
    const events: unknown[] = [];
    const m = new ReviewManager((p) => events.push(p), engine);
    const doc = { format: 'weir.pipeline' as const, version: 1 as const, name: 'x', params: {}, nodes: [], layout: {} };
    const out = await m.review({ root, path: 'pipelines/x.weir.json', reviewId: 'r1', pipeline: doc, base: 'HEAD~1', keys: { good: ['lot'] }, allowCurrentInputs: true, environment: 'dev' });
    expect(out).toBe(report);
    expect(seen[0]).toMatchObject({ file: join(root, 'pipelines', 'x.weir.json'), base: 'HEAD~1', head: null, headDocument: doc, keys: { good: ['lot'] }, allowCurrentInputs: true, environment: 'dev' });
    expect(events).toEqual([{ root, path: 'pipelines/x.weir.json', reviewId: 'r1', progress: { phase: 'base', node: 'good', done: 1, total: 4 } }]);
  });

  it('cancels a review in progress; the id is free again afterwards', async () => {
    const { engine } = fakeEngine(true);
    const m = new ReviewManager(() => undefined, engine);
    const running = m.review({ root, path: 'pipelines/x.weir.json', reviewId: 'r2' });
    await expect(m.review({ root, path: 'pipelines/x.weir.json', reviewId: 'r2' })).rejects.toThrow(/already running/);
    expect(m.cancel('r2')).toBe(true);
    await expect(running).rejects.toMatchObject({ kind: 'cancelled' });
    expect(m.cancel('r2')).toBe(false);
  });

  it('a cancel that arrives before its review stops that review at once', async () => {
    const { engine, seen } = fakeEngine(true);
    const m = new ReviewManager(() => undefined, engine);
    expect(m.cancel('r3')).toBe(false);
    await expect(m.review({ root, path: 'pipelines/x.weir.json', reviewId: 'r3' })).rejects.toMatchObject({ kind: 'cancelled' });
    expect(seen).toHaveLength(0);
  });

  it('refuses a path outside the workspace before the engine sees it', async () => {
    const { engine, seen } = fakeEngine(false);
    const m = new ReviewManager(() => undefined, engine);
    await expect(m.review({ root, path: '../x.weir.json', reviewId: 'r4' })).rejects.toThrow(/outside the workspace/);
    expect(seen).toHaveLength(0);
  });
});
