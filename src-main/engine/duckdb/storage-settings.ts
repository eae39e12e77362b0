// Imports nothing: the front door re-exports it, and `weir --version` must not load DuckDB.

/**
 * When DuckDB checkpoints an in-memory catalog by itself: never, in practice. Since DuckDB 1.4 an
 * in-memory database is checkpointed like a file once 16 MiB of changes accumulate, which for
 * uncompressed in-memory tables means rewriting their row groups: for the template's 10 M-row
 * bioreactor table, 2-3 s of a 6 s cold run on an idle 2-core machine (landing on whichever
 * statement committed next) and a peak of 1.8 GiB instead of 1.2 GiB. Weir's catalogs live for
 * one run or one preview session and are dropped whole; they delete no rows, so the checkpoint's
 * other use (vacuuming deleted rows) does not apply, and replaced tables are freed without it.
 */
export const CHECKPOINT_THRESHOLD = '1TB';
