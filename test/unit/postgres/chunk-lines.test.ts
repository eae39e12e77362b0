import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBBlobVector, DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import { testConnection } from '../../support/duckdb';
import { chunkLines } from '../../../src-main/engine/postgres/chunk-lines';

describe("a chunk's lines read in runs of adjacent bytes", () => {
  let conn: DuckDBConnection;
  beforeAll(async () => {
    conn = await testConnection();
  });
  afterAll(() => conn.closeSync());

  /** Every chunk of a streamed BLOB query, read both ways: row by row (getItemBytes) and by chunkLines. */
  async function bothWays(sql: string): Promise<{ rowByRow: Buffer; runs: Buffer; chunks: number }> {
    const result = await conn.stream(sql);
    const a: Buffer[] = [];
    const b: Buffer[] = [];
    let chunks = 0;
    for (;;) {
      const chunk: DuckDBDataChunk | null = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      chunks++;
      const v = chunk.getColumnVector(0) as DuckDBBlobVector;
      for (let i = 0; i < chunk.rowCount; i++) a.push(Buffer.from(v.getItemBytes(i)!));
      b.push(chunkLines(chunk));
    }
    return { rowByRow: Buffer.concat(a), runs: Buffer.concat(b), chunks };
  }

  it('gives the same bytes as reading row by row: long lines over many chunks', async () => {
    const r = await bothWays(`SELECT encode('row ' || i || chr(9) || repeat('x', (i % 50)::INT) || chr(10)) FROM range(100000) t(i)`);
    expect(r.chunks).toBeGreaterThan(40);
    expect(r.runs.length).toBeGreaterThan(2_000_000);
    expect(r.runs.equals(r.rowByRow)).toBe(true);
  });

  it('short lines held inside the string itself (12 bytes or less), alone and between long ones', async () => {
    const short = await bothWays(`SELECT encode(i::VARCHAR || chr(10)) FROM range(5000) t(i)`);
    expect(short.runs.toString('utf8')).toBe(Array.from({ length: 5000 }, (_, i) => `${i}\n`).join(''));
    const mixed = await bothWays(`SELECT encode(CASE WHEN i % 3 = 0 THEN 'a' || chr(10) WHEN i % 3 = 1 THEN repeat('b', 12) ELSE repeat('c', 13 + i % 7) || chr(10) END) FROM range(9000) t(i)`);
    expect(mixed.runs.equals(mixed.rowByRow)).toBe(true);
    // Exactly 12 bytes is inlined, 13 is not: both sides of the boundary are in the data.
    expect(mixed.runs.includes(Buffer.from('a\nbbbbbbbbbbbbccccccccccccc'))).toBe(true);
  });

  it('non-ASCII text, empty lines and rows of 200 KB', async () => {
    const r = await bothWays(`SELECT encode(CASE WHEN i % 4 = 0 THEN '' WHEN i % 4 = 1 THEN 'Zürich – 東京 ' || i ELSE repeat(chr(65 + (i % 26)::INT), 200000) END) FROM range(120) t(i)`);
    expect(r.runs.length).toBeGreaterThan(60 * 200_000);
    expect(r.runs.equals(r.rowByRow)).toBe(true);
    expect(r.runs.toString('utf8')).toContain('Zürich – 東京 1');
  });

  it('rows from a table written in several inserts (strings from different heap blocks)', async () => {
    await conn.run(`CREATE OR REPLACE TEMP TABLE pieces (s VARCHAR)`);
    for (let k = 0; k < 5; k++) await conn.run(`INSERT INTO pieces SELECT 'part ${k} ' || i || repeat('y', (i % 30)::INT) FROM range(3000) t(i)`);
    const r = await bothWays(`SELECT encode(s || chr(10)) FROM pieces`);
    expect(r.runs.toString('utf8').split('\n').length).toBe(15001);
    expect(r.runs.equals(r.rowByRow)).toBe(true);
  });
});
