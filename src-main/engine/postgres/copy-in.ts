import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type pg from 'pg';
import { chunkLines } from './chunk-lines';

export interface CopyInOptions {
  conn: DuckDBConnection;
  /** A DuckDB SELECT with one BLOB column: a COPY text line per row, newline included (see copyLineSelect). */
  linesSql: string;
  client: pg.Client;
  /** `COPY table (cols) FROM STDIN`. */
  copySql: string;
  signal: AbortSignal;
  /** Called with the running total every `progressEvery` rows and at the end. */
  onRows?: (rows: number) => void;
  progressEvery?: number;
}

/** Lines are sent in writes of about this many bytes: per-row writes are an order of magnitude slower. */
const TARGET_WRITE_BYTES = 256 * 1024;

/**
 * Streams a DuckDB result into COPY FROM STDIN chunk by chunk: DuckDB produces a chunk
 * (about 2048 rows) only when COPY has taken the previous ones (stream backpressure), so
 * memory stays flat whatever the row count. An abort or a failing server ends the COPY
 * (CopyFail), and the caller rolls the transaction back.
 */
export async function copyDuckdbToPostgres(o: CopyInOptions): Promise<number> {
  const result = await o.conn.stream(o.linesSql);
  let rows = 0;
  let reported = 0;
  const every = o.progressEvery ?? 100_000;

  async function* batches(): AsyncGenerator<Buffer> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const bytes = chunkLines(chunk);
      pending.push(bytes);
      pendingBytes += bytes.length;
      rows += chunk.rowCount;
      if (o.onRows && rows - reported >= every) {
        reported = rows;
        o.onRows(rows);
      }
      if (pendingBytes >= TARGET_WRITE_BYTES) {
        yield pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
      }
    }
    if (pending.length) yield Buffer.concat(pending, pendingBytes);
  }

  const { from: copyFrom } = await import('pg-copy-streams');
  const copy = o.client.query(copyFrom(o.copySql));
  // objectMode false: each yielded Buffer is one write; highWaterMark 1 keeps at most one
  // batch queued ahead of COPY.
  const source = Readable.from(batches(), { objectMode: false, highWaterMark: 1 });
  await pipeline(source, copy, { signal: o.signal });
  o.onRows?.(rows);
  return rows;
}
