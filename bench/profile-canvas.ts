/**
 * Where the canvas figure's time goes (figure 7): one load and one pan of the N-node canvas in
 * Debian's Chromium, with the main thread's own time (CDP Performance metrics: script, layout,
 * style, all tasks) so that two builds compare on a machine other work shares, a CPU profile's
 * heaviest functions, and the trace's heaviest events.
 *
 *   npx tsx bench/profile-canvas.ts [--nodes 1000] [--frames 120] [--renderer DIR] [--out DIR] [--modes warm-up,metrics,profile,trace]
 *
 * --renderer serves another build (e.g. an unminified one with source maps); by default the
 * one figure 7 uses (out/renderer, built when stale).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../test/e2e/support/browser';
import { ensureRendererBuilt } from '../test/e2e/support/renderer-build';
import { startServe } from '../test/e2e/support/serve';
import { loadMs, panFrameDeltas, workspaceWith } from './figures/canvas';
import { quantile } from './lib/stats';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '1000' }, frames: { type: 'string', default: '120' }, renderer: { type: 'string' }, out: { type: 'string' }, modes: { type: 'string', default: 'warm-up,metrics,profile,trace' } } });
const MODES = ['warm-up', 'metrics', 'profile', 'trace'] as const;
const modes = values.modes.split(',').map((m) => {
  if (!(MODES as readonly string[]).includes(m.replace(/\d+$/, ''))) throw new Error(`--modes: one of ${MODES.join(', ')} (a number after one repeats it), got "${m}"`);
  return m;
});
const nodes = Number(values.nodes);
const frames = Number(values.frames);
const out = values.out ?? mkdtempSync(join(tmpdir(), 'weir-canvas-profile-'));
mkdirSync(out, { recursive: true });

type Metrics = Record<string, number>;
async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}
const MAIN = ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'LayoutCount', 'RecalcStyleCount'];
function diff(a: Metrics, b: Metrics): Metrics {
  return Object.fromEntries(MAIN.map((k) => [k, k.endsWith('Count') ? b[k]! - a[k]! : Math.round((b[k]! - a[k]!) * 1000)]));
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
/** Self time by function (name, file:line), heaviest first. */
function heaviest(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top = 25): string[] {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}:${columnNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + (self.get(n.id) ?? 0));
  }
  return [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}

async function traced<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  await page.context().browser()!.startTracing(page, { path: join(out, `${name}.trace.json`), categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'v8.execute'] });
  try {
    return await fn();
  } finally {
    await page.context().browser()!.stopTracing();
  }
}

await ensureRendererBuilt();
if (values.renderer) process.env.WEIR_RENDERER_DIR = values.renderer;
const base = mkdtempSync(join(tmpdir(), 'weir-canvas-profile-ws-'));
const served = await startServe({ bundle: true, workspace: workspaceWith(nodes, base), home: join(base, 'home') });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, '--disable-frame-rate-limit', '--disable-gpu-vsync'] });
try {
  const report: string[] = [`${nodes} nodes, ${frames} pan frames`];
  const listings: string[] = [];
  for (const mode of modes) {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    await context.addInitScript('globalThis.__name = (f) => f;');
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const url = await served.newUrl();
    if (mode === 'profile') {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const run = async () => {
      const load = await loadMs(page, url, nodes);
      const atLoad = await metrics(cdp);
      let loadProfile = null;
      if (mode === 'profile') {
        loadProfile = ((await cdp.send('Profiler.stop')) as { profile: Parameters<typeof heaviest>[0] }).profile;
        await cdp.send('Profiler.start');
      }
      await page.waitForTimeout(300);
      const before = await metrics(cdp);
      const { deltas } = await panFrameDeltas(page, frames);
      const after = await metrics(cdp);
      const panProfile = mode === 'profile' ? ((await cdp.send('Profiler.stop')) as { profile: Parameters<typeof heaviest>[0] }).profile : null;
      return { load, atLoad, loadProfile, pan: diff(before, after), deltas, panProfile };
    };
    const r = mode === 'trace' ? await traced(page, `load-and-pan`, run) : await run();
    const sorted = [...r.deltas].sort((a, b) => a - b);
    const line = `${mode}: load ${r.load.toFixed(0)} ms (main thread until then: ${JSON.stringify(diff(Object.fromEntries(MAIN.map((k) => [k, 0])), r.atLoad))}); pan p95 ${quantile(sorted, 0.95).toFixed(1)} ms, median ${quantile(sorted, 0.5).toFixed(1)} ms (main thread over the pan: ${JSON.stringify(r.pan)})`;
    report.push(line);
    console.log(line);
    if (r.loadProfile) {
      writeFileSync(join(out, 'load.cpuprofile'), JSON.stringify(r.loadProfile));
      listings.push('load, self time:', ...heaviest(r.loadProfile));
    }
    if (r.panProfile) {
      writeFileSync(join(out, 'pan.cpuprofile'), JSON.stringify(r.panProfile));
      listings.push('pan, self time:', ...heaviest(r.panProfile));
    }
    await context.close();
  }
  writeFileSync(join(out, 'report.txt'), [...report, ...listings].join('\n') + '\n');
  console.log(listings.join('\n'));
  console.log(`written to ${out}`);
} finally {
  await browser.close();
  await served.stop();
  rmSync(base, { recursive: true, force: true });
}
