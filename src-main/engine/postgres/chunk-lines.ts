import duckdb from '@duckdb/node-bindings';
import type { DuckDBDataChunk } from '@duckdb/node-api';

/** A duckdb_string_t: 4 bytes of length, then 12 inlined bytes or a 4-byte prefix and a pointer. */
const STRING_T = 16;
const MAX_INLINED = 12;
const TWO_32 = 2 ** 32;

/**
 * A chunk's lines (one BLOB column, never NULL: see copyLineSelect) as one Buffer, end to end.
 *
 * Reading each row with getItemBytes costs a native call and a fresh ArrayBuffer per row,
 * about half of Node's CPU in a publish (bench figure 4a), CPU the PostgreSQL server on the
 * same machine then lacks. DuckDB writes the strings of one vector one after another in its
 * string heap, so the rows fall in a few runs of adjacent bytes (a new run where the heap
 * starts a new block). Each run is copied with one native call: a row joins the run only when
 * its bytes start exactly where the previous row's end, so every byte read belongs to a row
 * of the chunk. Rows of 12 bytes or less live inside the string_t itself and are copied from there.
 */
export function chunkLines(chunk: DuckDBDataChunk): Buffer {
  const n = chunk.rowCount;
  const vector = duckdb.data_chunk_get_vector(chunk.chunk, 0);
  const raw = duckdb.vector_get_data(vector, n * STRING_T);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  let total = 0;
  for (let i = 0; i < n; i++) total += view.getUint32(i * STRING_T, true);
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  let i = 0;
  while (i < n) {
    const base = i * STRING_T;
    const length = view.getUint32(base, true);
    if (length <= MAX_INLINED) {
      out.set(raw.subarray(base + 4, base + 4 + length), at);
      at += length;
      i++;
      continue;
    }
    let end = pointerAt(view, base) + length;
    let span = length;
    let j = i + 1;
    for (; j < n; j++) {
      const next = view.getUint32(j * STRING_T, true);
      if (next <= MAX_INLINED || pointerAt(view, j * STRING_T) !== end) break;
      end += next;
      span += next;
    }
    // Reads the pointer of row i and copies the run's bytes from there.
    out.set(duckdb.get_data_from_pointer(raw.buffer as ArrayBuffer, raw.byteOffset + base + 8, span), at);
    at += span;
    i = j;
  }
  return out;
}

/** The string's address (user-space addresses stay far below 2^53, so a number holds it exactly). */
function pointerAt(view: DataView, base: number): number {
  return view.getUint32(base + 8, true) + view.getUint32(base + 12, true) * TWO_32;
}
