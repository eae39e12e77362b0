/**
 * The functions the sandbox lets node SQL call beyond DuckDB's plain scalars and aggregates,
 * and those it refuses, in one place: the engine's guard (engine/sandbox/query-guard.ts)
 * decides with these lists, and the editor's completion offers only what the guard allows
 * (offering `read_csv` or `checkpoint` where a table goes would only lead to a refusal).
 */

/** Table functions that produce rows from their arguments alone: the only ones node SQL may call. */
export const GENERATOR_TABLE_FUNCTIONS: ReadonlySet<string> = new Set(['range', 'generate_series', 'unnest']);

/** Scalar functions that would show the engine's setup (folders, limits, the environment) to a pipeline. */
export const REFUSED_SCALAR_FUNCTIONS: ReadonlySet<string> = new Set(['current_setting', 'getenv']);
