/**
 * Column lineage: for each column a node outputs, the columns of its inputs it is computed
 * from. `direct`: the value flows (`select a`, `a * 2`, `sum(a)`); `indirect`: it decides
 * which rows, groups or branch (`where`, `join on`, `group by`, window `partition by`, a
 * CASE's condition, `order by` with a `limit`). OpenLineage calls these DIRECT and INDIRECT.
 * What cannot be resolved is listed in `unknown` with the reason, never guessed.
 */

/** A column of a node, by the node's name (what SQL calls it) and the column's name. */
export interface ColumnRef {
  node: string;
  column: string;
}

export interface ColumnLineage {
  name: string;
  /** DuckDB's type, where the column was bound. */
  type?: string;
  direct: ColumnRef[];
  indirect: ColumnRef[];
  /** Why part of this column's lineage is not known; empty when it is fully known. */
  unknown: string[];
}

export interface NodeLineage {
  id: string;
  name: string;
  kind: string;
  category: 'source' | 'transform' | 'check' | 'sink';
  /** A source's columns originate here (a path, a table, a URL as the file names it). */
  origin?: string;
  columns: ColumnLineage[];
  /** Why the node's columns themselves are not known (it was not made, its kind declares nothing). */
  problem?: string;
}

/** The column graph of a pipeline: what `engine.lineage()` returns and `weir lineage --json` prints (under `graph`). */
export interface PipelineLineage {
  format: 'weir.lineage';
  version: 1;
  pipeline: string;
  /** In topological order. */
  nodes: NodeLineage[];
}

export type Via = 'direct' | 'indirect';

/** One column reached by a trace, with how: direct only when every step on the way was direct. */
export interface TraceHit {
  node: string;
  column: string;
  via: Via;
  /** Steps from the column traced (1: an input column of it). */
  depth: number;
  /** The node is a source: the column originates at its dataset. */
  origin?: string;
  /** Unknown parts of this column's own lineage (so the trace may be incomplete past it). */
  unknown?: string[];
}

export interface ColumnTrace {
  from: ColumnRef;
  direction: 'upstream' | 'downstream';
  hits: TraceHit[];
  /** Unknown parts of the traced column's own lineage. */
  unknown: string[];
}
