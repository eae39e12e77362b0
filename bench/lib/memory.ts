/** Peak memory of this process over a stretch of work. */
export interface MemoryPeak {
  /** Highest resident set size seen by the sampler, MiB (DuckDB's native memory included). */
  rssMB: number;
  /** The kernel's high-water mark for the whole process life (getrusage maxrss), MiB; never relative to a baseline. */
  maxRssMB: number;
  /** Highest V8 heap in use, MiB (JS objects only). */
  heapMB: number;
  /** Highest memory held by ArrayBuffers/Buffers outside the V8 heap, MiB. */
  externalMB: number;
}

export interface SampleMemoryOptions {
  /** Sampling period; 20 ms by default. */
  everyMs?: number;
  /**
   * Report rssMB, heapMB and externalMB as growth above their values at the start rather
   * than as absolute peaks. Garbage is collected first when node runs with --expose-gc, so
   * the heap baseline is exact; without it the growth is a little noisier.
   */
  baseline?: boolean;
}

const MB = 2 ** 20;

const usage = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external + m.arrayBuffers };
};

/** Samples memory every `everyMs` until stopped; cheap enough to leave on during a measurement. */
export function sampleMemory(opts: SampleMemoryOptions = {}): { stop(): MemoryPeak } {
  if (opts.baseline) (globalThis as { gc?: () => void }).gc?.();
  const base = opts.baseline ? usage() : { rss: 0, heap: 0, external: 0 };
  let rss = 0;
  let heap = 0;
  let external = 0;
  const take = () => {
    const m = usage();
    rss = Math.max(rss, m.rss - base.rss);
    heap = Math.max(heap, m.heap - base.heap);
    external = Math.max(external, m.external - base.external);
  };
  take();
  const timer = setInterval(take, opts.everyMs ?? 20);
  return {
    stop() {
      take();
      clearInterval(timer);
      return {
        rssMB: rss / MB,
        maxRssMB: process.resourceUsage().maxRSS / 1024,
        heapMB: heap / MB,
        externalMB: external / MB,
      };
    },
  };
}
