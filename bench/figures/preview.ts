import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTask } from '../lib/child';
import { midGraphNode, readPipeline } from '../lib/pick-nodes';
import { notMeasured, ratioOf, type FigureRow } from '../lib/report';
import { measure } from '../lib/stats';
import type { PreviewRunResult, RawPreviewResult } from '../tasks/preview-tasks';
import type { BenchContext } from './context';

const LIMIT = 1000;
/**
 * The template's `readings`: the view between the 10-million-row bioreactor source and its
 * per-batch KPIs, where an analyst looks at rows; a LIMIT over it can stop early.
 */
const DEFAULT_NODE = 'readings';
/** A small source outside `readings`' upstream: the preview that loads the engine in the process first. */
const WARM_NODE = 'raw_specs';
const TARGET_WARM = '≤ 1.2× and < 1 s';
const TARGET_COLD = '≤ 1.5×';
const TARGET_LOOP = 'max < 100 ms';

/**
 * Figure 3: the first 1000 rows of a mid-graph node. Each run starts with an empty node
 * cache: the first preview is cold, the second warm. A preview reads a file source lazily
 * (a view over the files, so a LIMIT stops early) and caches nothing it did not compute; the
 * baseline runs the same statements raw, then the same LIMIT query twice.
 */
export async function previewFigure(ctx: BenchContext): Promise<FigureRow[]> {
  const labels = [`preview: first ${LIMIT} rows of a mid-graph node, warm (second call)`, 'preview, cold (a new session with an empty cache, in a process that has loaded the engine)', 'event-loop delay while a preview runs'];
  const ids = ['3a', '3b', '3c'];
  const targets = [TARGET_WARM, TARGET_COLD, TARGET_LOOP];
  if (!ctx.data) return labels.map((l, i) => notMeasured(ids[i]!, l, targets[i]!, ctx.dataMissing ?? 'no data'));
  const file = ctx.data.ws.pipeline;
  const doc = readPipeline(file);
  const node = midGraphNode(doc, process.env.WEIR_BENCH_PREVIEW_NODE ?? DEFAULT_NODE);
  const warmNode = doc.nodes.find((n) => n.name === WARM_NODE && n.id !== node.id) ?? doc.nodes.find((n) => n.id !== node.id)!;
  const weir: PreviewRunResult[] = [];
  const raw: RawPreviewResult[] = [];
  // One untimed pair warms the OS page cache for both sides.
  const warmUp = mkdtempSync(join(tmpdir(), 'weir-bench-cache-'));
  try {
    await runTask<PreviewRunResult>('engine-preview', { file, nodeId: node.id, warmNodeId: warmNode.id, limit: LIMIT }, { env: { WEIR_CACHE_DIR: warmUp } });
  } finally {
    rmSync(warmUp, { recursive: true, force: true });
  }
  await runTask<RawPreviewResult>('raw-preview', { file, nodeName: node.name, limit: LIMIT });
  for (let i = 0; i < ctx.opts.runs; i++) {
    const cacheRoot = mkdtempSync(join(tmpdir(), 'weir-bench-cache-'));
    try {
      weir.push(await runTask<PreviewRunResult>('engine-preview', { file, nodeId: node.id, warmNodeId: warmNode.id, limit: LIMIT }, { env: { WEIR_CACHE_DIR: cacheRoot } }));
    } finally {
      rmSync(cacheRoot, { recursive: true, force: true });
    }
    raw.push(await runTask<RawPreviewResult>('raw-preview', { file, nodeName: node.name, limit: LIMIT }));
    ctx.log(`figure 3: run ${i + 1}/${ctx.opts.runs}: "${node.name}" cold ${weir[i]!.coldMs.toFixed(0)} ms, warm ${weir[i]!.warmMs.toFixed(1)} ms; raw stage ${raw[i]!.stageMs.toFixed(0)} ms, LIMIT ${raw[i]!.secondMs.toFixed(1)} ms`);
  }
  const warmM = measure(weir.map((w) => w.warmMs), 'ms');
  const rawLimit = measure(raw.map((r) => r.secondMs), 'ms');
  const coldM = measure(weir.map((w) => w.coldMs), 'ms');
  const rawCold = measure(raw.map((r) => r.stageMs + r.firstMs), 'ms');
  const loop = measure(weir.map((w) => w.delayDuringPreview.maxMs), 'ms');
  const idle = measure(weir.map((w) => w.delayIdle.maxMs), 'ms');
  const rw = ratioOf(warmM, rawLimit);
  const rc = ratioOf(coldM, rawCold);
  const rl = ratioOf(loop, idle);
  const processFirst = measure(weir.map((w) => w.processFirstMs), 'ms');
  const details = { node: node.name, rows: weir[0]?.rows ?? 0, rawRows: raw[0]?.rows ?? 0, processFirstPreviewMs: processFirst.median, processFirstPreviewOf: warmNode.name };
  return [
    {
      id: '3a',
      figure: `${labels[0]!} ("${node.name}")`,
      weir: warmM,
      baseline: rawLimit,
      baselineLabel: `the same LIMIT ${LIMIT} query, raw, over the same views (second call)`,
      ...rw,
      target: TARGET_WARM,
      met: rw.ratio !== null && rw.ratio <= 1.2 && warmM.median < 1000,
      details,
    },
    {
      id: '3b',
      figure: labels[1]!,
      weir: coldM,
      baseline: rawCold,
      baselineLabel: 'raw: the same preview statements, then the LIMIT query (first call)',
      ...rc,
      target: TARGET_COLD,
      met: rc.ratio !== null && rc.ratio <= 1.5,
      details,
    },
    {
      id: '3c',
      figure: `${labels[2]!} (worst case, cold preview, in the process that serves the UI)`,
      weir: loop,
      baseline: idle,
      baselineLabel: 'the same process idle for as long',
      ...rl,
      target: TARGET_LOOP,
      met: loop.max < 100,
      details: { p99DuringPreviewMs: measure(weir.map((w) => w.delayDuringPreview.p99Ms), 'ms').median },
    },
  ];
}
