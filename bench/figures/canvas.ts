import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS as FLAGS } from '../../test/e2e/support/browser';
import { ensureRendererBuilt } from '../../test/e2e/support/renderer-build';
import { startServe, type Served } from '../../test/e2e/support/serve';
import { bigPipelineText } from '../lib/big-pipeline';
import { notMeasured, ratioOf, type FigureRow } from '../lib/report';
import { measure, quantile } from '../lib/stats';
import type { BenchContext } from './context';

/** Frames as fast as they can be made (no 60 Hz vsync): a rAF delta is then the frame's real cost. */
const UNTHROTTLED = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];
const BIG = 1000;
const SMALL = 20;
/** Frames per panning run; fewer in --quick (a 1000-node frame may take 100 ms on a slow machine). */
const PAN_FRAMES = { full: 240, quick: 60 };

export function workspaceWith(nodes: number, base: string): string {
  const ws = join(base, `canvas-${nodes}`);
  mkdirSync(join(ws, 'pipelines'), { recursive: true });
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }, null, 2));
  writeFileSync(join(ws, 'pipelines', `canvas_${nodes}.weir.json`), bigPipelineText(nodes));
  return ws;
}

/** Milliseconds from navigation start until every node card is in the page and painted. */
export async function loadMs(page: Page, url: string, nodes: number): Promise<number> {
  await page.goto(url);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="node-card"]').length >= n, nodes, { polling: 'raf', timeout: 120_000 });
  return page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now())))));
}

/**
 * Pans the canvas by dragging its empty background, one step per frame (mouse events
 * dispatched in the page, as d3-zoom receives them from a real mouse), and returns the
 * delta between consecutive animation frames.
 */
export async function panFrameDeltas(page: Page, frames: number): Promise<{ deltas: number[]; moved: boolean }> {
  return page.evaluate((count) => {
    const pane = document.querySelector('.react-flow__pane') as HTMLElement | null;
    const viewport = document.querySelector('.react-flow__viewport') as HTMLElement | null;
    if (!pane || !viewport) throw new Error('no React Flow pane in the page');
    const box = pane.getBoundingClientRect();
    // A point of the background, not a card or an edge: the drag must pan, not move a node.
    let start: { x: number; y: number } | null = null;
    for (let y = box.top + 10; y < box.bottom - 10 && !start; y += 7) {
      for (let x = box.left + 10; x < box.right - 10 && !start; x += 7) {
        if (document.elementFromPoint(x, y) === pane) start = { x, y };
      }
    }
    if (!start) throw new Error('no empty spot on the canvas to drag');
    const before = viewport.style.transform;
    const fire = (type: string, target: EventTarget, x: number, y: number) =>
      target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, button: 0, buttons: type === 'mouseup' ? 0 : 1 }));
    fire('mousedown', pane, start.x, start.y);
    return new Promise<{ deltas: number[]; moved: boolean }>((resolve) => {
      const stamps: number[] = [];
      const step = (t: number) => {
        stamps.push(t);
        const i = stamps.length;
        // Back and forth, 6 px per frame.
        const dx = 6 * (i % 120 < 60 ? i % 60 : 60 - (i % 60));
        fire('mousemove', window, start!.x - dx, start!.y - dx / 2);
        if (i <= count) requestAnimationFrame(step);
        else {
          fire('mouseup', window, start!.x, start!.y);
          resolve({ deltas: stamps.slice(2).map((s, k) => s - stamps[k + 1]!), moved: viewport.style.transform !== before });
        }
      };
      requestAnimationFrame(step);
    });
  }, frames);
}

interface Trial {
  loadMs: number;
  p95FrameMs: number;
  medianFrameMs: number;
}

async function trial(browser: Browser, url: string, nodes: number, frames: number): Promise<Trial> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  // tsx (esbuild, keepNames) wraps the functions passed to page.evaluate in __name(); the page needs it too.
  await context.addInitScript('globalThis.__name = (f) => f;');
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const load = await loadMs(page, url, nodes);
    // Let the first fitView animation and layout settle before panning.
    await page.waitForTimeout(300);
    const { deltas, moved } = await panFrameDeltas(page, frames);
    if (!moved) throw new Error('dragging the canvas background did not pan it');
    if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
    const sorted = [...deltas].sort((a, b) => a - b);
    return { loadMs: load, p95FrameMs: quantile(sorted, 0.95), medianFrameMs: quantile(sorted, 0.5) };
  } finally {
    await context.close();
  }
}

/**
 * Figure 7: the designer (`weir serve` + the built renderer) in Debian's Chromium, with a
 * 1000-node pipeline against the same canvas with 20 nodes: load time (navigation start
 * to every card painted) and frame time while panning (p95 of rAF deltas, frame rate unthrottled).
 */
export async function canvasFigure(ctx: BenchContext): Promise<FigureRow[]> {
  const labels = [`canvas with ${BIG} nodes: load (navigation to every card painted)`, `canvas with ${BIG} nodes: frame time while panning, p95`];
  const targets = ['< 1 s', '< 16 ms'];
  if (!existsSync(CHROMIUM)) return labels.map((l, i) => notMeasured(`7${'ab'[i]}`, l, targets[i]!, `${CHROMIUM} is not installed (apt-get install chromium)`));
  ctx.log('figure 7: building the renderer if it is stale');
  await ensureRendererBuilt();
  const base = mkdtempSync(join(tmpdir(), 'weir-bench-canvas-'));
  const servers: Served[] = [];
  let browser: Browser | null = null;
  try {
    // From the committed CLI bundle, as a user starts it.
    const big = await startServe({ bundle: true, workspace: workspaceWith(BIG, base), home: join(base, 'home-big') });
    servers.push(big);
    const small = await startServe({ bundle: true, workspace: workspaceWith(SMALL, base), home: join(base, 'home-small') });
    servers.push(small);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...UNTHROTTLED] });
    const frames = ctx.opts.quick ? PAN_FRAMES.quick : PAN_FRAMES.full;
    // Warm-up: the server's first answers, Chromium's first page.
    await trial(browser, await small.newUrl(), SMALL, 10);
    await trial(browser, await big.newUrl(), BIG, 10);
    const bigRuns: Trial[] = [];
    const smallRuns: Trial[] = [];
    for (let i = 0; i < ctx.opts.runs; i++) {
      bigRuns.push(await trial(browser, await big.newUrl(), BIG, frames));
      smallRuns.push(await trial(browser, await small.newUrl(), SMALL, frames));
      ctx.log(`figure 7: run ${i + 1}/${ctx.opts.runs}: ${BIG} nodes load ${bigRuns[i]!.loadMs.toFixed(0)} ms, pan p95 ${bigRuns[i]!.p95FrameMs.toFixed(1)} ms; ${SMALL} nodes load ${smallRuns[i]!.loadMs.toFixed(0)} ms, pan p95 ${smallRuns[i]!.p95FrameMs.toFixed(1)} ms`);
    }
    const load = measure(bigRuns.map((r) => r.loadMs), 'ms');
    const loadSmall = measure(smallRuns.map((r) => r.loadMs), 'ms');
    const frame = measure(bigRuns.map((r) => r.p95FrameMs), 'ms');
    const frameSmall = measure(smallRuns.map((r) => r.p95FrameMs), 'ms');
    const details = { panFrames: frames, medianFrameMs: measure(bigRuns.map((r) => r.medianFrameMs), 'ms').median, chromiumFlags: [...FLAGS, ...UNTHROTTLED] };
    return [
      { id: '7a', figure: labels[0]!, weir: load, baseline: loadSmall, baselineLabel: `the same canvas with ${SMALL} nodes`, ...ratioOf(load, loadSmall), target: targets[0]!, met: load.median < 1000, details },
      { id: '7b', figure: `${labels[1]!} (${frames} frames a run)`, weir: frame, baseline: frameSmall, baselineLabel: `the same canvas with ${SMALL} nodes`, ...ratioOf(frame, frameSmall), target: targets[1]!, met: frame.median < 16, details },
    ];
  } finally {
    await browser?.close();
    for (const s of servers) await s.stop();
    rmSync(base, { recursive: true, force: true });
  }
}
