import type { DuckDBConnection } from '@duckdb/node-api';
import type { PipelineNode } from '../../../shared/pipeline/schema';
import type { CheckResult, InputObject, OutputObject } from '../../../shared/run/record';
import type { SecretLookup, Workspace } from '../workspace/workspace';
import type { ConnectionSpec } from '../../../shared/workspace/schema';
import type { CompiledSql, NodeKind } from '../../../shared/nodes/define';
import type { EngineContext } from '../context';
import type { ParamValue } from '../../../shared/pipeline/params';

export type { Relation } from '../../../shared/nodes/define';

export interface CompileContext<C> {
  node: PipelineNode;
  /** The node's config, parsed with defaults by its kind's schema. */
  config: C;
  /** Upstream nodes, in the order of `node.inputs`. */
  inputs: { id: string; name: string }[];
  /** How many nodes read this one: a SQL node that fans out becomes a table. */
  fanOut: number;
  workspace: Workspace;
  /** Which run the node is part of; sinks use it for run-scoped temporary names. */
  runId: string;
  /** The pipeline file (absolute), when the pipeline came from one: sinks name their owner with it. */
  pipelineFile: string | null;
  /** In a partitioned pipeline's run of one lot (docs/lots.md): the partition key and the lot's value. */
  lot?: { key: string; value: string };
}

/** The statements that create the node's relation, as `weir plan` shows them: its kind's compile (shared/nodes/<kind>/). */
export type CompiledNode = CompiledSql;

export interface RunContext<C> extends CompileContext<C> {
  conn: DuckDBConnection;
  signal: AbortSignal;
  /**
   * Resolves a named connection of the run's environment, secrets filled in (through
   * `lookup` when given, so a node can learn which values were secret and mask them).
   */
  connection: (name: string, lookup?: SecretLookup) => ConnectionSpec;
  /** The run's lookup for `${env:NAME}` (the request's, then the engine context's: the keychain first in the desktop app). */
  secrets: SecretLookup;
  /** What the shell handed the engine: the clients a node opens (object stores, PostgreSQL), the process's environment, the clock. */
  engine: EngineContext;
  /** Progress for long nodes (rows written so far). */
  reportRows: (rows: number) => void;
  /** A problem that does not fail the node; `retry` marks a request retried (counted in the run record). */
  warn: (message: string, what?: 'retry') => void;
  /** Folder for run-scoped scratch files (downloads, staging); removed after the run. */
  scratchDir: string;
  /** The run's environment (`--env`): what a source keeps from one must never serve another (an API's pages). */
  environment?: string;
  /** The run's parameter values, for kinds that read them outside SQL (an http source's `{{ params.name }}`). */
  params?: Readonly<Record<string, ParamValue>>;
  /** False when the run bypasses the cache (`--no-cache`): a source then reuses nothing it kept either (an API's pages). */
  useCache?: boolean;
  /** What an incremental source keeps between runs (run/source-state.ts); absent where nothing is kept. */
  state?: SourceStateAccess;
}

/**
 * An incremental source's state (a watermark, the objects already read): the value the last
 * fully successful run of this pipeline, node and environment kept, and the next value, which
 * the run keeps only if it succeeds whole.
 */
export interface SourceStateAccess {
  /** The kept value; null when there is none. */
  read(): Promise<unknown>;
  /** The value to keep if the run succeeds (previews never keep one). */
  propose(value: unknown): void;
}

export interface NodeOutcome {
  /** Rows produced (relations) or written (sinks); null when not counted. */
  rows: number | null;
  outputHash?: string | null;
  inputs?: InputObject[];
  outputs?: OutputObject[];
  checks?: CheckResult[];
  /** A check with severity error failed: downstream nodes must not run. */
  blocking?: string;
  /**
   * A sink's output, staged and not yet visible: the run commits it in its publish phase,
   * once every node and blocking check succeeded, or discards it.
   */
  publication?: Publication;
}

/** What audit/publish-intent.ts checks to reconcile a run that died while publishing. */
export type PublishEvidence = { kind: 'file'; path: string; sha256: string } | { kind: 'other'; how: string };

/**
 * A sink's staged output (DESIGN, "Running": all-or-nothing publishing). Staging does all
 * the work (files written and uploaded, rows loaded in an open transaction); `commit` is the
 * one step that makes the output visible: a rename, a manifest write, a COMMIT.
 */
export interface Publication {
  /** Where the output becomes visible (a path, an s3:// or postgres:// URI), for the audit trail's intent entry. */
  target: string;
  /** How a later run tells whether this output was published, if this run dies while publishing. */
  evidence: PublishEvidence;
  /**
   * Makes the output visible. It is not interrupted by a cancel (it is short, and a cancel
   * that arrives during it is reported after it). Resolves with what is now published;
   * rejects when it did not happen, or when whether it happened cannot be known
   * (`uncertain` set on the error's details then).
   */
  commit(): Promise<{ outputs: OutputObject[] }>;
  /** Removes what staging wrote; never touches output that is already visible. */
  discard(): Promise<void>;
}

/** See `NodeRuntime.watch`. */
export interface SourceWatch {
  /** False as soon as anything the source read may have changed (or cannot be checked). */
  unchanged(): Promise<boolean>;
}

/**
 * How the engine runs one node kind: the Node-only half of a kind defined in
 * shared/nodes/<kind>/ (config schema, roles, its SQL), made by defineNodeRuntime (define.ts).
 */
export interface NodeRuntime<C = unknown> {
  kind: string;
  /** The kind's definition, whose config type this runtime is typed against. */
  definition: NodeKind<string, C>;
  compile(ctx: CompileContext<C>): CompiledNode;
  /**
   * Runs the node. When absent, the engine runs the compiled statements and counts the
   * relation's rows.
   */
  run?(ctx: RunContext<C>): Promise<NodeOutcome>;
  /**
   * Whether the node's result may be reused from the cache: a table is kept as Parquet; a
   * view is re-created by its compiled statements (which must then be all it needs) with its
   * row count and hash taken from the cache.
   */
  cacheable?: boolean;
  /**
   * For sinks: whether what an earlier run published with the same cache key is still there,
   * untouched, so publishing again can be skipped. Sinks without it always publish.
   */
  upToDate?(ctx: RunContext<C>, published: OutputObject[]): Promise<boolean>;
  /**
   * For previews of a source not in the cache: statements that make the node a view over
   * what it reads, so a LIMIT reads only the first rows instead of staging every file.
   */
  previewStatements?(ctx: RunContext<C>): Promise<string[]> | string[];
  /**
   * The SELECT queries this kind builds around SQL a user typed, exactly as they run: the
   * sandbox checks them as a whole (sandbox/node-guard.ts) besides each typed field.
   */
  queries?(ctx: CompileContext<C>): string[];
  /** Reads its inputs more than once (a check, once per rule): its inputs become tables. */
  readsInputRepeatedly?: boolean;
  /**
   * For sources: what the node reads (file hashes, object ETags) as a string for the cache
   * key, and the input objects for the run record. A source without it is never cached; a
   * null fingerprint says this time's result must not be (an API answered a secret in its
   * records). Called for nodes with inputs too (an http source that asks once per input value):
   * what it reads can change while its inputs do not.
   */
  fingerprint?(ctx: RunContext<C>): Promise<{ fingerprint: string | null; inputs: InputObject[] }>;
  /**
   * For sources that read workspace files: a cheap way to tell, later, that they are still
   * the same files with the same bytes (stats, no hashing). A preview session keeps the node
   * (and what is computed from it) while it holds; a source without it is read again for
   * every preview.
   */
  watch?(ctx: RunContext<C>): Promise<SourceWatch>;
  /**
   * Has no inputs and reads nothing outside the pipeline file (a seed): its config alone
   * identifies its result, so it is cached without a fingerprint.
   */
  selfContained?: boolean;
}
