import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/api/envelope';
import { reviewReport, type ReviewReport } from '../../../shared/review/schema';
import { runWeir } from '../../support/cli';
import { postApi, signInWith, startServe, type Served } from '../../e2e/support/serve';
import { parsePipeline } from '../../../shared/pipeline/parse';
import { isolateGit, sh, tempDir } from '../git/helpers';
import { PIPELINE, reviewRepo, type ReviewRepo } from '../review/fixture';

/**
 * Issue #16: the review of one change is the same from the designer and from the CLI. The
 * designer's path is the browser shell's (`weir serve`, POST /api/pipeline.review, as the
 * Changes tab calls it); the CLI's is `weir review --json`, both over the CGT template's
 * breaking change (rounding and a tightened limit) against its base run. Only who made the
 * report and when may differ.
 */
let repo: ReviewRepo;
let served: Served;
let cookie: string;
let restoreGit: () => void;
let home: { dir: string; cleanup: () => void };

beforeAll(async () => {
  restoreGit = isolateGit();
  repo = await reviewRepo('weir-review-parity-');
  home = tempDir('weir-review-parity-home-');
  served = await startServe({ workspace: repo.dir, home: home.dir });
  cookie = await signInWith(served.url);
}, 240_000);
afterAll(async () => {
  await served?.stop();
  home?.cleanup();
  restoreGit?.();
});

async function call<T>(method: string, input: unknown): Promise<T> {
  const { body } = await postApi<Envelope<T>>(served, cookie, method, input);
  if (!body.ok) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

const withoutAuthorship = ({ generatedAt, generatedBy, ...rest }: ReviewReport) => {
  expect(Date.parse(generatedAt)).not.toBeNaN();
  expect(generatedBy).toMatch(/.@./);
  return rest;
};

describe('the designer and the CLI review the same change the same way', () => {
  it('pipeline.review answers the JSON `weir review --json` prints, but for generatedAt and generatedBy', async () => {
    // The working copy is the breaking commit; the base is the commit the base run ran from.
    const fromApi = reviewReport.parse(await call('pipeline.review', { root: repo.dir, path: PIPELINE, reviewId: 'parity', base: repo.base }));

    const cli = await runWeir(['review', PIPELINE, '--base', repo.base, '--json'], { cwd: repo.dir, fromSource: true });
    expect(cli.code, cli.stderr).toBe(3); // breaking changes found
    const fromCli = reviewReport.parse(JSON.parse(cli.stdout));

    expect(withoutAuthorship(fromApi)).toEqual(withoutAuthorship(fromCli));

    // The same, and about something: a breaking verdict over pinned inputs, a value diff that
    // names changed batches, and a check that newly fails.
    expect(fromApi.summary.verdict).toBe('breaking');
    expect(fromApi.inputs).toMatchObject({ mode: 'pinned', baseRunId: repo.baseRunId });
    expect(fromApi.base.commit).toBe(repo.base);
    const valued = fromApi.nodes.filter((n) => (n.values?.changed ?? 0) > 0);
    expect(valued.length).toBeGreaterThan(0);
    expect(valued[0]!.values!.sample.length).toBeGreaterThan(0);
    expect(fromApi.summary.checksNewlyFailing).toBeGreaterThan(0);
  }, 300_000);

  it('a review of the unsaved document compares that document, not the file on disk', async () => {
    // The designer holds the base's document, unsaved, over the breaking file on disk: nothing changed.
    const baseDoc = parsePipeline(sh(repo.dir, 'show', `${repo.base}:${PIPELINE}`)).pipeline;
    const unsaved = reviewReport.parse(await call('pipeline.review', { root: repo.dir, path: PIPELINE, reviewId: 'unsaved', base: repo.base, pipeline: baseDoc }));
    expect(unsaved.summary).toMatchObject({ verdict: 'none', breaking: 0, nonBreaking: 0, checksNewlyFailing: 0 });
    expect(unsaved.nodes).toEqual([]);
  }, 300_000);
});
