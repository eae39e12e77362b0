import type { NodeStatus } from './events';

/** One object (file or S3 object) a node read, so the run can be traced to exact inputs. */
export interface InputObject {
  uri: string;
  size: number;
  /** S3 ETag / VersionId, or a content hash for local files. */
  etag?: string;
  versionId?: string;
  sha256?: string;
  cacheHit?: boolean;
}

export interface OutputObject {
  uri: string;
  size?: number;
  sha256?: string;
  rows?: number;
}

export interface CheckResult {
  /** The rule's name (its own, or `<type>_<column>`). */
  rule: string;
  severity: 'error' | 'warn';
  passed: boolean;
  /** Rows that break the rule; 1 for a failed row_count (as dbt counts a table-level test). */
  failingRows: number;
  /** Up to 5 failing rows, all columns, sorted, values as JSON. */
  sample: Record<string, unknown>[];
  description?: string;
  /** not_null, unique, accepted_values, range, row_count, relationship, regex, expression, query. */
  type?: string;
  columns?: string[];
  /** One line a person reads: what failed and against what. */
  message?: string;
}

export interface NodeRecord {
  id: string;
  name: string;
  kind: string;
  status: NodeStatus;
  rows: number | null;
  durationMs: number;
  /** Order-independent hash of the node's rows (and its column names and types). */
  outputHash: string | null;
  /** True when the result came from the node cache instead of being computed. */
  cached: boolean;
  cacheKey?: string;
  error?: string;
  /** Requests retried while the node ran (HTTP pages, S3 operations), each also a `node_warning` event. */
  retries?: number;
  inputs?: InputObject[];
  outputs?: OutputObject[];
  checks?: CheckResult[];
  /**
   * For a sink that staged an output: whether the run's publish phase made it visible
   * (`published`), threw it away (`discarded`: another node failed, or the run was cancelled,
   * before publishing), failed to publish it, or cannot tell (`uncertain`: the store did not
   * answer whether the last write happened).
   */
  publish?: 'published' | 'discarded' | 'failed' | 'uncertain';
  /** What the node warned about while it ran (shown live as node_warning events too). */
  warnings?: string[];
}

/** How the run published its sinks (DESIGN, "Running": all-or-nothing by default). */
export interface PublishingRecord {
  mode: 'all' | 'partial';
  /** Sinks (by name) whose output became visible, in the order they were published. */
  published: string[];
  /** Sinks whose staged output was thrown away. */
  discarded: string[];
  /** Sinks whose publish failed or whose outcome is uncertain. */
  failed: string[];
  /** A cancel (or signal) arrived during the publish phase, after these were published. */
  cancelledDuringPublish?: boolean;
}

export interface RunRecord {
  format: 'weir.run';
  version: 1;
  runId: string;
  pipeline: { name: string; file: string; sha256: string; gitCommit: string | null; gitDirty: boolean | null };
  environment: string;
  params: Record<string, string | number | boolean | null>;
  selection: string | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  status: 'succeeded' | 'failed' | 'cancelled';
  user: string;
  host: string;
  weirVersion: string;
  duckdbVersion: string;
  nodes: NodeRecord[];
  /** Present when the run staged at least one sink. */
  publishing?: PublishingRecord;
  /** Problems that did not fail the run, such as an OpenLineage endpoint that did not answer. */
  warnings?: string[];
}
