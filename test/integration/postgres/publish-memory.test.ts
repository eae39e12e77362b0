import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { martWorkspace, sinkNode, sqlNode, type TestWorkspace } from './workspace';

const ROWS = 2_000_000;
const MB = 2 ** 20;

/**
 * A size, not a time: the runner's memory must not grow with the rows it publishes. The
 * rows below are about 190 MB as COPY text, so holding them (or even half of them) in
 * memory would break the bound. bench/postgres-publish.ts prints the figures and the
 * rows/s against psql.
 */
describe('publishing millions of rows keeps the heap flat', () => {
  let server: PostgresServer;
  let ws: TestWorkspace;

  beforeAll(async () => {
    server = await postgresDatabase();
    ws = martWorkspace(server);
  });
  afterAll(async () => {
    ws?.remove();
    await server?.teardown();
  });

  it(`publishes ${ROWS.toLocaleString('en-US')} rows with heap (and Buffer) growth under 100 MB`, { timeout: 180_000 }, async () => {
    const file = ws.pipeline('big_mart', [
      sqlNode('readings', [
        'select i as reading_id,',
        "  'B' || lpad((i % 20000)::varchar, 5, '0') as batch_id,",
        "  timestamptz '2024-01-01 00:00:00+00' + to_seconds(i) as reading_at,",
        '  ((i % 1000) / 7.0)::decimal(10,4) as value,',
        "  'dissolved oxygen probe reading, bioreactor ' || (i % 97) as label",
        `from range(${ROWS}) as t(i)`,
      ]),
      sinkNode('publish', 'readings', { table: 'readings', mode: 'replace' }),
    ]);
    // The V8 heap plus memory outside it held by Buffers: a publish that piled up the COPY
    // text as Buffers would show here, not in heapUsed alone.
    const used = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.external;
    };
    const base = used();
    let peak = base;
    let progress = 0;
    const timer = setInterval(() => {
      peak = Math.max(peak, used());
    }, 10);
    let out;
    try {
      out = await ws.run(file, {
        onEvent: (e) => {
          if (e.type === 'node_rows' && e.name === 'publish') progress++;
        },
      });
    } finally {
      clearInterval(timer);
    }
    peak = Math.max(peak, used());
    expect(out.error?.message ?? null).toBeNull();
    expect(out.record.nodes.find((n) => n.id === 'publish')?.rows).toBe(ROWS);
    // Progress arrived while streaming, not only at the end.
    expect(progress).toBeGreaterThan(5);
    const [t] = await server.query<{ n: number; bytes: string }>(`SELECT count(*)::int AS n, pg_relation_size('public.readings')::text AS bytes FROM public.readings`);
    expect(t!.n).toBe(ROWS);
    expect(Number(t!.bytes)).toBeGreaterThan(150 * MB);
    const growthMB = (peak - base) / MB;
    expect(growthMB).toBeLessThan(100);
  });
});
