/** Peak memory of this process over a stretch of work. */
export interface MemoryPeak {
  /** Highest resident set size seen by the sampler, MiB (DuckDB's native memory included). */
  rssMB: number;
  /** The kernel's high-water mark for the whole process life (getrusage maxrss), MiB. */
  maxRssMB: number;
  /** Highest V8 heap in use, MiB (JS objects only). */
  heapMB: number;
  /** Highest memory held by ArrayBuffers/Buffers outside the V8 heap, MiB. */
  externalMB: number;
}

const MB = 2 ** 20;

/** Samples memory every `everyMs` until stopped; cheap enough to leave on during a measurement. */
export function sampleMemory(everyMs = 20): { stop(): MemoryPeak } {
  let rss = 0;
  let heap = 0;
  let external = 0;
  const take = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
    external = Math.max(external, m.external + m.arrayBuffers);
  };
  take();
  const timer = setInterval(take, everyMs);
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
