/**
 * Reading DuckDB's serialized parse tree (`json_serialize_sql`): the JSON it is, safe
 * accessors, and the few facts about a node the lineage walk asks for.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };

export const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
export const str = (v: Json | undefined): string => (typeof v === 'string' ? v : '');
export const low = (s: string) => s.toLowerCase();

/**
 * Functions DuckDB aggregates with (for GROUP BY ALL, which groups by the select items that
 * hold none). A user's aggregate macro is not in the list: its item would count as a key.
 */
export const AGGREGATES = new Set(
  'count count_star sum avg mean min max first last any_value arbitrary arg_max arg_min argmax argmin max_by min_by string_agg group_concat listagg list array_agg median mode quantile quantile_cont quantile_disc stddev stddev_pop stddev_samp variance var_pop var_samp bool_and bool_or bit_and bit_or bit_xor product approx_count_distinct approx_quantile histogram entropy kurtosis skewness corr covar_pop covar_samp regr_slope regr_intercept regr_r2 fsum favg sumkahan kahan_sum bitstring_agg reservoir_quantile weighted_avg'.split(' '),
);
/** `unnest(x)`, `range(n)`, `generate_series(..)` in FROM: one column, named after the function. */
export const ONE_COLUMN_TABLE_FUNCTIONS = new Set(['unnest', 'range', 'generate_series']);

export function lastName(e: Obj): string | null {
  const names = arr(e.column_names);
  const last = names[names.length - 1];
  return typeof last === 'string' ? last : null;
}

export function tableFunctionName(ref: Obj): string {
  return isObj(ref.function) ? str(ref.function.function_name) || 'function' : 'function';
}

export function holdsAggregate(e: Json | undefined): boolean {
  if (Array.isArray(e)) return e.some(holdsAggregate);
  if (!isObj(e)) return false;
  if (e.class === 'SUBQUERY') return false;
  if (e.class === 'FUNCTION' && AGGREGATES.has(low(str(e.function_name)))) return true;
  return Object.values(e).some(holdsAggregate);
}
