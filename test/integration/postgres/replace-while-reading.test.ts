import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { martWorkspace, sinkNode, sqlNode, type TestWorkspace } from './workspace';

/** Version k of the mart has ROWS_PER_VERSION * k rows, every one tagged with k. */
const ROWS_PER_VERSION = 20_000;

describe('replace while dashboards read', () => {
  let server: PostgresServer;
  let ws: TestWorkspace;
  let file: string;

  beforeAll(async () => {
    server = await postgresDatabase();
    ws = martWorkspace(server);
    file = ws.pipeline(
      'live_mart',
      [
        sqlNode('rows', [
          "select getvariable('version') as version, i as row_no, 'batch ' || (i % 97) as label",
          `from range(${ROWS_PER_VERSION} * getvariable('version')) as t(i)`,
        ]),
        sinkNode('publish', 'rows', { schema: 'mart', table: 'live', mode: 'replace', key: ['row_no'], lock_timeout_seconds: 0.2 }),
      ],
      { version: { type: 'integer', default: 1 } },
    );
  });
  afterAll(async () => {
    ws?.remove();
    await server?.teardown();
  });

  it('a reader looping on another connection never sees a missing or partial table', async () => {
    const first = await ws.run(file, { params: { version: 1 } });
    expect(first.error?.message ?? null).toBeNull();

    const reader = await server.client();
    const seen = new Map<number, number>();
    const problems: string[] = [];
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        try {
          const r = await reader.query<{ n: number; lo: number; hi: number }>(
            'SELECT count(*)::int AS n, min(version)::int AS lo, max(version)::int AS hi FROM mart.live',
          );
          const { n, lo, hi } = r.rows[0]!;
          if (lo !== hi) problems.push(`mixed versions ${lo} and ${hi}`);
          else if (n !== ROWS_PER_VERSION * lo) problems.push(`version ${lo} with ${n} rows`);
          seen.set(lo, (seen.get(lo) ?? 0) + 1);
        } catch (e) {
          problems.push((e as Error).message);
          if (problems.length >= 20) break;
        }
        // Yield to timers: a loop of instantly failing queries must not starve the test.
        await new Promise((r) => setImmediate(r));
      }
    })();

    try {
      for (let version = 2; version <= 6; version++) {
        const out = await ws.run(file, { params: { version } });
        expect(out.error?.message ?? null).toBeNull();
        // Let the reader get at least one read of the new version in.
        for (let i = 0; i < 2000 && !seen.has(version) && problems.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      stop = true;
      await loop;
      await reader.end();
    }
    expect(problems).toEqual([]);
    expect([...seen.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const [last] = await server.query('SELECT count(*)::int AS n FROM mart.live');
    expect(last).toEqual({ n: 6 * ROWS_PER_VERSION });
  });

  it('a reader holding its lock past lock_timeout makes the publish fail clearly; the table stays as it was', async () => {
    const holder = await server.client();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT count(*) FROM mart.live');
      const out = await ws.run(file, { params: { version: 7 } });
      expect(out.status).toBe('failed');
      expect(out.error?.message).toMatch(
        /^node "publish": publishing "mart"\."live" \(replace\) on connection "mart" failed: could not lock "mart"\."live" to swap in the new rows: other sessions held it for longer than 0\.2s, 3 times .*rolled back \(the table is as it was\)$/,
      );
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    expect(await server.query('SELECT count(*)::int AS n, max(version)::int AS v FROM mart.live')).toEqual([{ n: 6 * ROWS_PER_VERSION, v: 6 }]);
    expect(await server.query(`SELECT relname FROM pg_class WHERE relname LIKE '%weir_stage%'`)).toEqual([]);
  });
});
