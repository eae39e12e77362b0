import type { RestrictPair } from './explain-plan';

/** What "explain this value" answers (`engine.explain()`, the API's `pipeline.explain`). */

/** Rows as the preview carries them: column names and types, rows as arrays of JSON values. */
export interface ExplainRows {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  /** Every row that matched; `rows` holds at most the cap. */
  total: number;
  capped: boolean;
}

/** The failing rows of one rule of a check node, among the rows explained there. */
export interface ExplainCheckRule extends ExplainRows {
  rule: string;
  severity: 'error' | 'warn';
  requirement: string;
}

export interface ExplainInput {
  nodeId: string;
  node: string;
  /** The node's columns the input's rows were matched on, and the input's columns they equal. */
  by: RestrictPair[];
  rows?: ExplainRows;
  /** The input's contributing rows cannot be picked out at this step: why. */
  untraceable?: string;
  /** A check node: each rule's failing rows among its rows here (a custom SQL rule's are not traced). */
  checks?: ExplainCheckRule[];
  /** Further up it is not followed: why (a source: nothing is upstream; already explained at another step). */
  stop?: string;
}

export interface ExplainStep {
  /** The node whose rows are explained at this step (the first: the row clicked). */
  nodeId: string;
  node: string;
  kind: string;
  depth: number;
  inputs: ExplainInput[];
}

export interface Explanation {
  nodeId: string;
  node: string;
  column: string | null;
  /** The row's values the first step matched on. */
  matched: Record<string, unknown>;
  cap: number;
  steps: ExplainStep[];
}
