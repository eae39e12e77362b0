/**
 * Every DuckDB query in flight holds one of libuv's worker threads until it ends (the
 * @duckdb/node-api binding runs queries as async work on that pool), and so does every file
 * read or write, lookup and crypto call. The pool has 4 threads unless UV_THREADPOOL_SIZE says
 * otherwise: four previews of never-ending SQL (four pipelines open in `weir serve`, or an
 * assistant's calls through `weir mcp`) left no thread for anything else, so saving a file,
 * serving a page or even cancelling waited until a query ended (minutes, for a statement
 * DuckDB cannot interrupt). A larger pool keeps those servers answering.
 *
 * Only the commands that serve many requests for long get it: making and joining 60 more
 * threads costs a one-shot command (run, validate, ...) 10 to 20 ms of its start and exit (bench
 * figure 6), and a one-shot command is stopped by its signal whatever its queries do
 * (support/signals.ts).
 *
 * libuv reads the variable when the pool is first used, so this must be evaluated before
 * any asynchronous file, DNS or crypto call: it is the first import of launch.ts and index.ts,
 * which use only synchronous calls before it. A value the user set is kept.
 */
export const THREAD_POOL_SIZE = 64;

/** `weir <command>`: the command is the first argument (main.ts takes no option before it). */
const SERVING = new Set(['serve', 'mcp']);

if (SERVING.has(process.argv[2] ?? '')) process.env.UV_THREADPOOL_SIZE ??= String(THREAD_POOL_SIZE);
