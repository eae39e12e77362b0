import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeirError } from '../../../shared/errors';
import { reviewReport, type ReviewNode, type ReviewReport } from '../../../shared/review/schema';
import { WEIR_VERSION } from '../../../src-main/engine';
import { runWeir } from '../../support/cli';
import { launchChromium } from '../../e2e/support/browser';
import { scratchRoot } from '../../../src-main/engine/sandbox/allowed-dirs';
import { testEngine } from '../../support/engine';
import { isolateGit } from '../git/helpers';
import { reviewRepo, type ReviewRepo } from './fixture';

let repo: ReviewRepo;
let restoreGit: () => void;

beforeAll(async () => {
  restoreGit = isolateGit();
  repo = await reviewRepo();
}, 120_000);
afterAll(() => {
  restoreGit();
  rmSync(repo.dir, { recursive: true, force: true });
});

async function cliReview(...args: string[]): Promise<{ code: number | null; report: ReviewReport | null; stderr: string; stdout: string }> {
  const r = await runWeir(['review', repo.file, '--base', repo.base, ...args], { cwd: repo.dir });
  const report = args.includes('--json') && r.stdout.trim() ? reviewReport.parse(JSON.parse(r.stdout)) : null;
  return { code: r.code, report, stderr: r.stderr, stdout: r.stdout };
}

const node = (r: ReviewReport, name: string): ReviewNode => {
  const n = r.nodes.find((x) => x.name === name);
  if (!n) throw new Error(`no node ${name} in the review: ${r.nodes.map((x) => x.name).join(', ')}`);
  return n;
};

/** Read independently of the pipeline: batches the base run released, and viability results per batch from the raw LIMS export. */
async function newlyRejectedByLimit(limit: number): Promise<string[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const released = (await conn.runAndReadAll(`SELECT batch_id FROM read_parquet('${join(repo.dir, 'data/curated/batch_release.parquet')}') WHERE release_status = 'RELEASED'`)).getRows().map((r) => String(r[0]));
    const lines = readFileSync(join(repo.dir, 'data/raw/assays.csv'), 'utf8').trim().split('\n').slice(1);
    const low = new Set<string>();
    for (const line of lines) {
      const [, batch, assay, result] = line.split(',');
      if (assay?.trim().toLowerCase() === 'viability' && Number.parseFloat(result!) < limit) low.add(batch!.trim());
    }
    return released.filter((b) => low.has(b)).sort();
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('weir review on three commits of the CGT template (issue #16)', () => {
  it('a comment-only SQL change has no impact: nothing is listed or computed, exit 0', async () => {
    const { code, report, stderr } = await cliReview('--head', repo.comment, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(report!.summary.verdict).toBe('none');
    expect(report!.nodes).toEqual([]);
    expect(report!.summary.unchanged).toBe(17);
    expect(report!.base.commit).toBe(repo.base);
    expect(report!.head.commit).toBe(repo.comment);
    expect(report!.inputs.baseRunId).toBe(repo.baseRunId);
  }, 240_000);

  it('an added column is non-breaking: the column is named, downstream rows are equal, exit 0', async () => {
    const { code, report } = await cliReview('--head', repo.addedColumn, '--json');
    expect(code).toBe(0);
    const r = report!;
    expect(r.summary.verdict).toBe('non_breaking');
    expect(r.summary.breaking).toBe(0);
    const kpis = node(r, 'bioreactor_kpis');
    expect(kpis).toMatchObject({ change: 'direct', classification: 'non_breaking' });
    expect(kpis.schema).toEqual({ added: [{ name: 'temp_range_c', type: 'DOUBLE' }], removed: [], retyped: [] });
    expect(kpis.rows).toEqual({ base: 40, head: 40 });
    // Downstream: batch_release selects named columns, so its rows are identical, matched by its unique check's key.
    const release = node(r, 'batch_release');
    expect(release.change).toBe('downstream');
    expect(release.values).toMatchObject({ key: ['batch_id'], keySource: 'unique_check', changed: 0, onlyBase: 0, onlyHead: 0, same: 40 });
    // Nodes that do not read bioreactor_kpis (directly or not) are not in the review.
    expect(r.nodes.map((n) => n.name)).not.toContain('assay_results');
    expect(r.inputs.mode).toBe('pinned');
    expect(r.inputs.objects.length).toBeGreaterThan(0);
    expect(r.inputs.objects.every((o) => o.status === 'same' && /^[0-9a-f]{64}$/.test(o.sha256 ?? ''))).toBe(true);
  }, 240_000);

  it('a changed rounding and a tightened limit are breaking: exit 3, the value diff names the changed batches, a check newly fails', async () => {
    const { code, report, stdout } = await cliReview('--head', repo.breaking, '--json');
    expect(code).toBe(3);
    const r = report!;
    expect(r.summary.verdict).toBe('breaking');
    // Breaking first.
    const firstNonBreaking = r.nodes.findIndex((n) => n.classification !== 'breaking');
    expect(firstNonBreaking === -1 || r.nodes.slice(firstNonBreaking).every((n) => n.classification !== 'breaking')).toBe(true);
    const kpis = node(r, 'bioreactor_kpis');
    expect(kpis).toMatchObject({ change: 'direct', classification: 'breaking' });
    expect(node(r, 'specs').reasons.join(' ')).toMatch(/min_viability_pct: 70 → 90/);
    const release = node(r, 'batch_release');
    expect(release.classification).toBe('breaking');
    const v = release.values!;
    expect(v.key).toEqual(['batch_id']);
    const expected = await newlyRejectedByLimit(90);
    expect(expected.length).toBeGreaterThan(0);
    expect(v.columns.find((c) => c.column === 'release_status')?.mismatches).toBe(expected.length);
    // Every batch's mean DO is rounded to one decimal now.
    expect(v.columns.find((c) => c.column === 'mean_do_pct')?.mismatches).toBe(40);
    // The sample side by side: the first ten batches, and the status flips in it are exactly the expected batches among them.
    const flipped = v.sample.filter((s) => s.base.release_status !== s.head.release_status).map((s) => s.key.batch_id);
    expect(flipped).toEqual(expected.filter((b) => v.sample.some((s) => s.key.batch_id === b)));
    expect(flipped.length).toBeGreaterThan(0);
    for (const s of v.sample) expect(Number(s.head.mean_do_pct)).toBeCloseTo(Math.round(Number(s.base.mean_do_pct) * 10) / 10, 6);
    const check = node(r, 'assays_checked').checks.find((c) => c.rule === 'percentages_within_0_100');
    expect(check).toMatchObject({ change: 'newly_failing', base: { passed: true, failingRows: 0 }, head: { passed: false } });
    expect(check!.head!.failingRows).toBeGreaterThan(0);
    expect(r.summary.checksNewlyFailing).toBe(1);
    expect(stdout).not.toMatch(/\u001b/);
  }, 240_000);

  it('the terminal summary puts breaking nodes first, a few lines each', async () => {
    const { code, stdout } = await cliReview('--head', repo.breaking);
    expect(code).toBe(3);
    expect(stdout).toMatch(/^review of pipelines\/batch_release\.weir\.json: /);
    expect(stdout).toMatch(/BREAKING: \d+ breaking nodes/);
    expect(stdout).toMatch(/check percentages_within_0_100: pass → FAIL \(\d+\)\s+NEWLY FAILING/);
    expect(stdout).toMatch(/values by batch_id: 40 changed/);
    const { code: any } = await cliReview('--head', repo.addedColumn, '--fail-on', 'any');
    expect(any).toBe(3);
  }, 240_000);

  it('--html writes one self-contained file naming both commits, the pinned inputs with hashes, who, when and the Weir version', async () => {
    const out = join(repo.dir, 'review.html');
    const { code, report } = await cliReview('--head', repo.breaking, '--json', '--html', out);
    expect(code).toBe(3);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain(repo.base);
    expect(html).toContain(repo.breaking);
    for (const o of report!.inputs.objects) expect(html).toContain(o.sha256!);
    expect(html).toContain(`Weir ${WEIR_VERSION}`);
    expect(html).toContain(report!.generatedBy);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href=|url\(|@import/i);
    expect(html).toContain("default-src 'none'");
    // In Chromium it loads nothing but itself, and shows the verdict and the value diff.
    const browser = await launchChromium();
    try {
      const requests: string[] = [];
      browser.page.on('request', (req) => requests.push(req.url()));
      await browser.page.setViewportSize({ width: 1200, height: 900 });
      await browser.page.goto(pathToFileURL(out).href);
      expect(requests).toEqual([pathToFileURL(out).href]);
      expect(await browser.page.locator('.verdict').textContent()).toBe('Breaking change');
      expect(await browser.page.locator('section.node.breaking h3').first().textContent()).toMatch(/breaking/);
      const shot = join(repo.dir, 'review-html.png');
      // The header, the inputs and the first nodes, batch_release's value diff among them.
      await browser.page.screenshot({ path: shot, fullPage: true, clip: { x: 0, y: 0, width: 1200, height: 2300 } });
      // docs/review.md shows it: renewed only when asked for (WEIR_UPDATE_DOCS_SCREENSHOT=1) or missing, so a test run leaves git clean.
      const docs = fileURLToPath(new URL('../../../docs/screenshots/review-html-report.png', import.meta.url));
      if (process.env.WEIR_UPDATE_DOCS_SCREENSHOT === '1' || !existsSync(docs)) {
        mkdirSync(join(docs, '..'), { recursive: true });
        copyFileSync(shot, docs);
      }
    } finally {
      await browser.close();
    }
  }, 240_000);

  it('a bad --key is a usage error (exit 2) naming what is wrong', async () => {
    const noEq = await cliReview('--head', repo.breaking, '--key', 'batch_release');
    expect(noEq.code).toBe(2);
    expect(noEq.stderr).toMatch(/--key expects NODE=COLUMN/);
    const noNode = await cliReview('--head', repo.breaking, '--key', 'nosuch=batch_id');
    expect(noNode.code).toBe(2);
    expect(noNode.stderr).toMatch(/no node "nosuch"/);
    const noColumn = await cliReview('--head', repo.breaking, '--key', 'batch_release=lot_no');
    expect(noColumn.code).toBe(2);
    expect(noColumn.stderr).toMatch(/"lot_no"/);
    const both = await cliReview('--head', repo.breaking, '--worktree');
    expect(both.code).toBe(2);
  }, 240_000);

  it('--key overrides the unique check: matched by product and site, rows repeat and the counts say so', async () => {
    const { report } = await cliReview('--head', repo.breaking, '--json', '--key', 'release_summary=site,product');
    const v = node(report!, 'release_summary').values!;
    expect(v).toMatchObject({ key: ['site', 'product'], keySource: 'option', onlyBase: 0, onlyHead: 0 });
    expect(v.changed).toBeGreaterThan(0);
    expect(v.columns.find((c) => c.column === 'rejected')!.mismatches).toBeGreaterThan(0);
  }, 240_000);

  it('the designer\'s unsaved document as head gives the same review as that version from git (the engine method both shells call)', async () => {
    const { parsePipeline } = await import('../../../shared/pipeline/parse');
    const { execFileSync } = await import('node:child_process');
    const text = execFileSync('git', ['show', `${repo.breaking}:pipelines/batch_release.weir.json`], { cwd: repo.dir, encoding: 'utf8' });
    const strip = (r: ReviewReport) => ({ ...r, generatedAt: '', head: null });
    const fromGit = await testEngine().review({ file: repo.file, base: repo.base, head: repo.breaking });
    const fromDocument = await testEngine().review({ file: repo.file, base: repo.base, headDocument: parsePipeline(text).pipeline });
    expect(strip(fromDocument)).toEqual(strip(fromGit));
    expect(fromDocument.head).toEqual({ rev: null, commit: null, dirty: false, label: 'working copy' });
    expect(fromGit.head).toMatchObject({ rev: repo.breaking, commit: repo.breaking, dirty: false });
  }, 240_000);

  it('a cancel stops the review cleanly: a cancelled error, no scratch folder left', async () => {
    const ac = new AbortController();
    const reviewScratch = () => (existsSync(scratchRoot()) ? readdirSync(scratchRoot()).filter((f) => f.startsWith('review-')) : []);
    const scratchBefore = new Set(reviewScratch());
    const phases: string[] = [];
    let during: string[] = [];
    const err = await testEngine()
      .review({
        file: repo.file,
        base: repo.base,
        head: repo.breaking,
        signal: ac.signal,
        onProgress: (p) => {
          phases.push(p.phase);
          if (p.phase === 'head' && !ac.signal.aborted) {
            during = reviewScratch().filter((f) => !scratchBefore.has(f));
            ac.abort();
          }
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeirError);
    expect((err as WeirError).kind).toBe('cancelled');
    expect(phases).toContain('base');
    expect(phases).not.toContain('diff');
    // The session's scratch folder existed while it ran, and is gone.
    expect(during).toHaveLength(1);
    const left = reviewScratch().filter((f) => !scratchBefore.has(f));
    expect(left).toEqual([]);
  }, 240_000);

  describe('pinned inputs (these change the workspace: last)', () => {
    const gone = 'data/raw/bioreactor/site=LEI/readings.parquet';

    it('an input gone since the base run is named; the base run\'s result still comes from the node cache', async () => {
      rmSync(join(repo.dir, gone));
      const { code, report } = await cliReview('--head', repo.breaking, '--json');
      expect(code).toBe(3);
      expect(report!.inputs.mode).toBe('pinned');
      const missing = report!.inputs.objects.filter((o) => o.status === 'missing');
      expect(missing.map((o) => o.uri)).toEqual([expect.stringContaining(gone)]);
      // Same data as before the file went: the pinned run's readings.
      expect(node(report!, 'bioreactor_kpis').rows).toEqual({ base: 40, head: 40 });
    }, 240_000);

    it('without the cache the review fails (exit 1) naming the missing input; --allow-current-inputs falls back and says so', async () => {
      rmSync(join(repo.dir, '.weir', 'cache'), { recursive: true, force: true });
      const failed = await cliReview('--head', repo.breaking, '--json');
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(gone);
      expect(failed.stderr).toMatch(/missing/);
      expect(failed.stderr).toMatch(/--allow-current-inputs/);
      const allowed = await cliReview('--head', repo.breaking, '--json', '--allow-current-inputs');
      expect(allowed.code).toBe(3);
      expect(allowed.report!.inputs.mode).toBe('current');
      expect(allowed.report!.inputs.fallbackReason).toContain(gone);
    }, 240_000);

    it('with no base run recorded at all the review fails with a hint to run the base first', async () => {
      rmSync(join(repo.dir, '.weir', 'runs'), { recursive: true, force: true });
      const failed = await cliReview('--head', repo.breaking);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/no successful run of pipelines\/batch_release\.weir\.json at .* run the base version first/);
    }, 240_000);
  });
});
