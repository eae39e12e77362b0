import { SEP } from './deps';
import type { KindLineage } from './kind-lineage';
import { queryIdentity } from './identity';
import type { Json } from './parse-tree';

/**
 * "Explain this value": how one step back is traced. For each input of a node, the pairs
 * (output column, input column) whose values are equal on every input row that made an output
 * row; the engine selects the input's rows whose columns equal the output rows' (bound values,
 * quoted names) in DuckDB. An input no pair reaches cannot be traced at that step, with the
 * reason; nothing is guessed.
 */
export interface RestrictPair {
  /** A column of the node (the rows being explained). */
  output: string;
  /** The column of the input that equals it. */
  column: string;
}

export interface InputTracePlan {
  input: string;
  pairs: RestrictPair[];
  /** Why this input's contributing rows cannot be picked out. */
  untraceable?: string;
}

export interface TraceInput {
  name: string;
  columns: readonly string[];
}

/**
 * The restriction of each input of one node. `how` is the node's lineage rule
 * (kind-lineage.ts), `tree` DuckDB's parse of its query (for `query` nodes), `own` its output
 * columns as DuckDB bound them.
 */
export function inputTracePlan(how: KindLineage, tree: Json | null, inputs: readonly TraceInput[], own: readonly string[]): InputTracePlan[] {
  if (how.type === 'origin') return [];
  if (how.type === 'unknown') return inputs.map((i) => ({ input: i.name, pairs: [], untraceable: how.reason }));
  if (how.type === 'pass') {
    // A check or a sink: its rows are its first input's, column for column. A check's other
    // inputs are only what a relationship rule compares against.
    return inputs.map((i, k) =>
      k === how.input
        ? { input: i.name, pairs: own.filter((c) => i.columns.some((x) => x.toLowerCase() === c.toLowerCase())).map((c) => ({ output: c, column: i.columns.find((x) => x.toLowerCase() === c.toLowerCase())! })) }
        : { input: i.name, pairs: [], untraceable: 'it is only compared against (a relationship rule), not passed through' },
    );
  }
  const identity = queryIdentity(tree, inputs);
  if (identity.untraceable) return inputs.map((i) => ({ input: i.name, pairs: [], untraceable: identity.untraceable! }));
  if (identity.columns.length !== own.length) {
    const why = `its columns (${identity.columns.length}) could not be lined up with DuckDB's (${own.length})`;
    return inputs.map((i) => ({ input: i.name, pairs: [], untraceable: why }));
  }
  return inputs.map((i) => {
    const pairs: RestrictPair[] = [];
    const seen = new Set<string>();
    identity.columns.forEach((c, k) => {
      for (const key of c.equals) {
        if (identity.keysOnly && !identity.keysOnly.has(key)) continue;
        const at = key.indexOf(SEP);
        if (key.slice(0, at).toLowerCase() !== i.name.toLowerCase()) continue;
        const column = key.slice(at + 1);
        if (seen.has(column.toLowerCase())) continue;
        seen.add(column.toLowerCase());
        pairs.push({ output: own[k]!, column });
      }
    });
    return pairs.length
      ? { input: i.name, pairs }
      : { input: i.name, pairs, untraceable: `no column of "${i.name}" reaches these rows unchanged (it is read whole, as by a cross join, or only through computed values)` };
  });
}
