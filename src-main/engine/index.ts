// The engine's front door: the one module the shells (api, cli, server, electron) and the
// benchmarks import (eslint.config.js enforces it; test/unit/layers.test.ts proves it).
//
// Two kinds of export:
// - createEngine(ctx): everything that reaches outside the process (DuckDB, object stores,
//   PostgreSQL, git, secrets, the clock, settings) is a method of the engine a shell makes once
//   from its EngineContext. A shell cannot run half its work with one DuckDB instance or secret
//   lookup and half with another, and a test swaps any part by giving another context.
// - plain functions for what needs nothing from a context (reading and planning a pipeline
//   file, the run store, audit verification, formatting): no engine needed to call them.
//
// The engine's modules load when a method first needs them, as they did when the shells
// imported them one by one: `weir --version` or `weir diff` never load DuckDB. Preflight and
// git's repo, versions and pipeline diff are imported here statically: their plain functions
// are exported below, so they load with this module anyway (a dynamic import of them deferred
// nothing, and the desktop build warned INEFFECTIVE_DYNAMIC_IMPORT on every `npm start`).
import type { WorkspaceFile } from '../../shared/workspace/schema';
import type { EngineContext } from './context';
import type { TestConnectionRequest, TestConnectionResult } from './connections/test-connection';
import type { DuckdbFunction } from './duckdb/functions';
import type { GcOptions, GcReport } from './gc/collect';
import type { AnchorVerification } from './audit/anchor/verify-anchors';
import type { EvidenceResult } from './audit/evidence/build';
import type { CommitRequest, CommitResult } from './git/commit';
import type { HistoryEntry } from './git/history';
import type { MergeDriverRequest, MergeDriverResult } from './git/merge-driver';
import { diffRevisions, diffWorkingCopy, type PipelineDiffResult } from './git/pipeline-diff';
import { findRepo, type GitRepo } from './git/repo';
import type { RestoreResult } from './git/restore';
import type { WorkspaceGitStatus } from './git/status';
import { pipelineAtRevision, type PipelineVersion } from './git/versions';
import { preflight, type PreflightOptions, type Problem } from './run/preflight';
import type { RelationSchema } from './run/input-schemas';
import type { LineageRequest } from './run/lineage';
import type { PipelineLineage } from '../../shared/lineage/types';
import type { Explanation } from '../../shared/lineage/explain-types';
import type { ExplainRequest } from './run/explain';
import type { NodeRequest, PreviewRequest, PreviewResult } from './run/preview';
import type { ProfileResult } from './run/profile';
import type { ChartRequest, ChartResult } from './run/chart';
import type { PreviewSession } from './run/preview-session';
import type { RunOutcome, RunRequest } from './run/run-pipeline';
import type { PartitionsListing } from '../../shared/api/lots-schemas';
import type { ReviewRequest } from './review/request';
import type { ReviewReport } from '../../shared/review/schema';
import type { Redactor } from './secrets/redactor';
import type { Workspace } from './workspace/workspace';
import type { DiffOptions } from '../../shared/pipeline/semantic-diff';
import type { Pipeline } from '../../shared/pipeline/schema';
import type { SignerEntry } from '../../shared/gxp/signers';
import type { SignerInitRequest } from './audit/signatures/signer-init';
import type { SignRequest, SignResult, SigningSubject } from './audit/signatures/sign';
import type { ReleaseTableRefresh } from './audit/engine-audit';
import type { ReleaseTableResult } from './audit/signatures/release-table';
import type { RunReleaseStatus } from './audit/signatures/release-state';
import { workspaceRedactor } from './secrets/workspace-secrets';

// The one process-wide setting the engine makes, here at the front door, before any S3 client
// exists: the AWS SDK warns on stderr about Node 20 once per process, in several lines, which
// would break the shells' one-line output. Users who want it can set the variable to "false".
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface Engine {
  /** What the shell handed in. */
  readonly context: EngineContext;
  /** Load, check, plan, run, publish, record: `weir run` and the designer's Run. */
  run(req: RunRequest): Promise<RunOutcome>;
  /**
   * `weir partitions` and the designer's lots view: every lot of a partitioned pipeline with its
   * state (new, changed, up to date, failed; docs/lots.md). Throws a usage error for a pipeline
   * that is not partitioned.
   */
  partitions(req: { file: string; environment?: string; params?: Record<string, string | number | boolean> }): Promise<PartitionsListing>;
  /** The first rows of one node (its upstream materialized; sinks never run), in `session` when given. */
  preview(req: PreviewRequest, session?: PreviewSession): Promise<PreviewResult>;
  /** Statistics of every column of one node. */
  profile(req: NodeRequest, session?: PreviewSession): Promise<ProfileResult>;
  /** A chart of one node, reduced in DuckDB to about the chart's pixel width (the preview's Chart tab). */
  chart(req: ChartRequest, session?: PreviewSession): Promise<ChartResult>;
  /** The columns of one node, for the SQL editor's completion. */
  describeNode(req: NodeRequest, session?: PreviewSession): Promise<RelationSchema>;
  /**
   * The pipeline's column graph (shared/lineage): for every node's columns, the input columns
   * each is computed from, direct and indirect; `weir lineage` and the designer's
   * highlight read it, tracing it with `traceColumn`. Makes the nodes as a preview does.
   */
  lineage(req: LineageRequest, session?: PreviewSession): Promise<PipelineLineage>;
  /**
   * "Explain this value": one row of a node traced back, step by step, to the rows of each
   * input it was made from (run/explain.ts), with a check node's failing rows on the way.
   */
  explain(req: ExplainRequest, session?: PreviewSession): Promise<Explanation>;
  /**
   * A warm preview session for one pipeline file (run/preview-session.ts): the previews,
   * profiles and column lookups given it keep what they made while it is unchanged.
   */
  previewSession(file: string): Promise<PreviewSession>;
  /** The functions this DuckDB build knows (completion). */
  sqlFunctions(): Promise<DuckdbFunction[]>;
  /**
   * `weir review` and the designer's Changes tab (issue #16): base vs head of one pipeline file
   * over the base run's pinned inputs: impact, schema, row, profile, value and check diffs.
   */
  review(req: ReviewRequest): Promise<ReviewReport>;
  /** Every problem a run would stop on before touching data (`weir validate`, the designer's problems). */
  validate(loaded: { pipeline: Pipeline; path?: string }, workspace: Workspace, options?: PreflightOptions): Promise<Problem[]>;
  /** Tries a connection the cheapest way that proves it works; never throws. */
  testConnection(req: TestConnectionRequest): Promise<TestConnectionResult>;
  /** `weir gc`: litter of dead runs, and the caches evicted to their bound. */
  gc(workspace: Workspace, options?: GcOptions): Promise<GcReport>;
  /** A registry masking every value a workspace's connections could resolve to (`weir audit show`). */
  workspaceRedactor(file: WorkspaceFile): Redactor;
  git: EngineGit;
  /** Electronic signatures and release states (issue #18; docs/gxp.md). */
  gxp: EngineGxp;
  /** The audit trail's anchors and evidence packages (docs/gxp.md). */
  audit: EngineAudit;
}

export interface EngineAudit {
  /** `weir audit verify --anchor`. */
  verifyAnchors(workspaceRoot: string): Promise<AnchorVerification>;
  /** `weir evidence`. */
  evidence(req: { workspaceRoot: string; subject: string; out: string }): Promise<EvidenceResult>;
}

/** Signers, signatures and release states, with the context's key folder, keychain, clock and account. */
export interface EngineGxp {
  /** A new key pair for a signer: the key file written, the signers.json entry returned. */
  initSigner(req: SignerInitRequest): Promise<{ keyPath: string; entry: SignerEntry }>;
  /**
   * Signs a run record (and moves its release state when the meaning and the policy say so),
   * then refreshes the release-state table weir.audit.json names: its outcome is in
   * `releaseTable` (a failure there leaves the signature standing).
   */
  sign(req: SignRequest): Promise<SignResult & { releaseTable: ReleaseTableRefresh }>;
  /** Exactly what a signature of this run would cover, and whether it may be signed. */
  subject(root: string, runId: string): Promise<SigningSubject>;
  /** The release state and signatures of every recorded run (or those of one run id prefix or lot). */
  releaseStatus(root: string, which?: string): Promise<RunReleaseStatus[]>;
  /** Refreshes the release-state table weir.audit.json names (null: it names none); throws when it cannot. */
  publishReleaseTable(root: string): Promise<ReleaseTableResult | null>;
}

/** Versioning through the installed git, run with the context's process's environment. */
export interface EngineGit {
  findRepo(dir: string): Promise<GitRepo | null>;
  status(dir: string): Promise<WorkspaceGitStatus>;
  commit(req: CommitRequest): Promise<CommitResult>;
  history(file: string, opts?: { limit?: number }): Promise<HistoryEntry[]>;
  atRevision(file: string, rev: string): Promise<PipelineVersion>;
  /** HEAD against the working copy. */
  diffWorkingCopy(file: string, opts?: DiffOptions): Promise<PipelineDiffResult>;
  /** Between two revisions, or `from` against the working copy when `to` is null. */
  diffRevisions(file: string, from: string, to: string | null, opts?: DiffOptions): Promise<PipelineDiffResult>;
  restore(file: string, rev: string, opts?: { discardChanges?: boolean }): Promise<RestoreResult>;
  runMergeDriver(req: MergeDriverRequest): Promise<MergeDriverResult>;
  installMergeDriver(dir: string, command: string[]): Promise<{ root: string; attributesAdded: boolean }>;
}

/** The engine a shell works with, for the life of the shell (or of a test). */
export function createEngine(ctx: EngineContext): Engine {
  const env = ctx.processEnv;
  return {
    context: ctx,
    run: async (req) => (await import('./lots/run-file')).runFile(ctx, req),
    partitions: async (req) => (await import('./lots/run-lots')).listPartitions(ctx, req),
    preview: async (req, session) => (await import('./run/preview')).previewNode(ctx, req, session),
    profile: async (req, session) => (await import('./run/profile')).profileNode(ctx, req, session),
    chart: async (req, session) => (await import('./run/chart')).chartNode(ctx, req, session),
    describeNode: async (req, session) => (await import('./run/input-schemas')).describeNode(ctx, req, session),
    lineage: async (req, session) => (await import('./run/lineage')).lineageOfPipeline(ctx, req, session),
    explain: async (req, session) => (await import('./run/explain')).explainRow(ctx, req, session),
    previewSession: async (file) => new (await import('./run/preview-session')).PreviewSession(ctx, file),
    sqlFunctions: async () => (await import('./duckdb/functions')).listDuckdbFunctions(ctx.duckdb),
    review: async (req) => (await import('./review/review')).reviewPipeline(ctx, req),
    validate: (loaded, workspace, options) => preflight(ctx, loaded, workspace, options),
    testConnection: async (req) => (await import('./connections/test-connection')).testConnection(ctx, req),
    gc: async (workspace, options) => (await import('./gc/collect')).collectGarbage(ctx, workspace, options),
    workspaceRedactor: (file) => workspaceRedactor(file, ctx.env, (n) => ctx.processEnv[n]),
    git: {
      findRepo: (dir) => findRepo(env, dir),
      status: async (dir) => (await import('./git/status')).pipelineStatuses(env, dir),
      commit: async (req) => (await import('./git/commit')).commitPipelines(env, req),
      history: async (file, opts) => (await import('./git/history')).pipelineHistory(env, file, opts),
      atRevision: (file, rev) => pipelineAtRevision(env, file, rev),
      diffWorkingCopy: (file, opts) => diffWorkingCopy(env, file, opts),
      diffRevisions: (file, from, to, opts) => diffRevisions(env, file, from, to, opts),
      restore: async (file, rev, opts) => (await import('./git/restore')).restorePipeline(env, file, rev, opts),
      runMergeDriver: async (req) => (await import('./git/merge-driver')).runMergeDriver(env, req),
      installMergeDriver: async (dir, command) => (await import('./git/merge-driver')).installMergeDriver(env, dir, command),
    },
    gxp: {
      initSigner: async (req) => (await import('./audit/signatures/signer-init')).initSigner(req, ctx.settings.signerKeyDir, ctx.now(), ctx.keyWrapper),
      sign: async (req) => {
        const signed = await (await import('./audit/signatures/sign')).signRun(req, {
          keyDir: ctx.settings.signerKeyDir,
          wrapper: ctx.keyWrapper,
          processEnv: env,
          now: ctx.now,
          account: ctx.settings.user,
          lockWaitMs: ctx.settings.auditLockWaitMs,
        });
        return { ...signed, releaseTable: await (await import('./audit/engine-audit')).refreshReleaseTable(ctx, req.root) };
      },
      subject: async (root, runId) => (await import('./audit/signatures/sign')).signingSubject(root, runId, { keyDir: ctx.settings.signerKeyDir, wrapper: ctx.keyWrapper }),
      releaseStatus: async (root, which) => {
        const [{ readGxpTrail }, { releaseStatuses }] = await Promise.all([import('./audit/signatures/trail'), import('./audit/signatures/release-state')]);
        return releaseStatuses(await readGxpTrail(root), which);
      },
      publishReleaseTable: async (root) => (await import('./audit/engine-audit')).publishWorkspaceReleaseTable(ctx, root),
    },
    audit: {
      verifyAnchors: async (root) => (await import('./audit/engine-audit')).verifyWorkspaceAnchors(ctx, root),
      evidence: async (req) => (await import('./audit/engine-audit')).buildWorkspaceEvidence(ctx, req),
    },
  };
}

// ---- The context a shell builds (context/, default-context.ts) ----
export { contextFromEnvironment, DEFAULT_AUDIT_LOCK_WAIT_MS, lockedDuckdb, settingsFromEnvironment } from './default-context';
export type { DuckdbFactory, EngineClients, EngineContext, EngineSettings, Environment, EnvLookup } from './context';

// ---- Plain functions: no context needed ----
export { WEIR_VERSION } from './context/version';
// Workspaces and pipeline files.
export { findWorkspace, findWorkspaceFile, pipelineWorkspace, readWorkspaceFile, validateWorkspace } from './workspace/workspace';
export type { SecretLookup, Workspace } from './workspace/workspace';
export { loadPipelineFile } from './pipeline/load';
export { dagsterModule, exportTarget, k8sManifests } from './export';
export type { DagsterOptions, ExportTarget, K8sManifests, K8sOptions } from './export';
export type { LoadedPipeline } from './pipeline/load';
export { readTextFile } from './pipeline/read-text';
export { readRegularFile, readRegularText, readRegularTextSync } from './host/regular-file';
export { preflightError } from './run/preflight';
export type { PreflightOptions, Problem } from './run/preflight';
export { writeFileAtomic } from './storage/atomic-write';
// Plans (`weir plan`) and runs.
export type { Plan, PlannedNode } from './run/plan';
/** The order nodes run in and what each runs (run/plan.ts); async because planning loads every kind's runtime, and DuckDB with them. */
export async function planPipeline(...args: Parameters<typeof import('./run/plan').planPipeline>): Promise<import('./run/plan').Plan> {
  return (await import('./run/plan')).planPipeline(...args);
}
export type { LotOutcome, LotSelection, RunOutcome, RunRequest } from './run/run-pipeline';
export type { ReviewRequest } from './review/request';
export type { ReviewProgress, ReviewReport } from '../../shared/review/schema';
export type { NodeRequest, PreviewRequest, PreviewResult } from './run/preview';
export type { ProfileResult } from './run/profile';
export type { ChartRequest, ChartResult } from './run/chart';
export type { DocumentInput, PreviewSession, SessionActivity } from './run/preview-session';
export type { RelationSchema } from './run/input-schemas';
export type { LineageRequest } from './run/lineage';
export type { ExplainRequest } from './run/explain';
export type { DuckdbFunction } from './duckdb/functions';
export type { TestConnectionRequest, TestConnectionResult } from './connections/test-connection';
// The run store and the audit trail (History, `weir audit`).
export { getStoredRun, listAuditEntries, listStoredRuns } from './audit/run-store';
export type { StoredRun } from './audit/run-store';
export { findAuditEntry, formatRunRecord, maskedEntry } from './audit/show';
export { describeProblem, verifyAuditLog } from './audit/verify';
// Signatures and release states (issue #18): types the shells and the API speak.
export type { SignRequest, SignResult, SigningSubject } from './audit/signatures/sign';
export type { RunReleaseStatus } from './audit/signatures/release-state';
export type { SignerInitRequest } from './audit/signatures/signer-init';
export type { KeyWrapper } from './audit/signatures/key-file';
export { verifyEvidencePackage } from './audit/evidence/verify-package';
export type { PackageVerification } from './audit/evidence/verify-package';
export type { AnchorVerification } from './audit/anchor/verify-anchors';
export type { EvidenceResult } from './audit/evidence/build';
// Secrets: the process's registry (whatever path an error took, the shells' last-resort
// printers mask every value any run resolved) and how events are masked with it.
export { processSecrets } from './secrets/process-secrets';
export { maskRunEvent } from './secrets/mask-run';
export type { Redactor } from './secrets/redactor';
// Diffs of files on disk (no git).
export { diffPipelineFiles } from './git/pipeline-diff';
export { headCommit } from './git/repo';
export { pipelineOnDisk } from './git/versions';
export type { PipelineDiffResult, VersionSide } from './git/pipeline-diff';
export type { CommitRequest, CommitResult } from './git/commit';
export type { HistoryEntry } from './git/history';
export type { GitRepo } from './git/repo';
export type { RestoreResult } from './git/restore';
export type { PipelineGitState, WorkspaceGitStatus } from './git/status';
export type { PipelineVersion } from './git/versions';
export type { MergeDriverRequest, MergeDriverResult } from './git/merge-driver';
// gc.
export { formatBytes, parseSize } from './gc/sizes';
export type { GcOptions, GcReport } from './gc/collect';
export type { LitterItem, LitterKind } from './gc/litter';

// ---- For the benchmarks (bench/) and scripts/: the pieces they time against raw baselines ----
// They run what the engine runs, piece by piece, so they need a few of its inner parts; the
// heavy ones (DuckDB, the PostgreSQL publisher) load when called.
export { ident, literal } from './duckdb/sql';
export { queryRows } from './duckdb/session';
export { resolveParams, setParamVariables } from './run/params';
export { relationRowCount, relationStats } from './duckdb/relation-stats';
export { fileSha256 } from './storage/file-hash';
/** The review's value diff of two relations (review/diff-values.ts): bench figure 8a times it against raw EXCEPT ALL and a keyed join. */
export async function diffRelationValues(...args: Parameters<typeof import('./review/diff-values').diffValues>): ReturnType<typeof import('./review/diff-values').diffValues> {
  return (await import('./review/diff-values')).diffValues(...args);
}
export { stagingPath } from './storage/atomic-publish';
export { closeObjectStore } from './storage/open-store';
export type { ObjectStore } from './storage/object-store';
export { visibleObjects } from './storage/lake-listing';
export { localCopies } from './nodes/lake-source/local-copies';
export { pgTarget } from './postgres/connect';
export type { GenerateCgtOptions, GenerateCgtResult } from './sample/generate-cgt';
/** The CGT data set split into per-lot folders, and late results for some lots (sample/generate-lots.ts). */
export async function generateCgtLots(options: import('./sample/generate-cgt').GenerateCgtOptions): Promise<import('./sample/generate-cgt').GenerateCgtResult> {
  return (await import('./sample/generate-lots')).generateCgtLots(options);
}
export async function writeLateResults(outDir: string, lots: readonly string[]): Promise<string[]> {
  return (await import('./sample/generate-lots')).writeLateResults(outDir, lots);
}
/** The seeded CGT data set generator (sample/generate-cgt.ts). */
export async function generateCgtData(options: import('./sample/generate-cgt').GenerateCgtOptions): Promise<import('./sample/generate-cgt').GenerateCgtResult> {
  return (await import('./sample/generate-cgt')).generateCgtData(options);
}
/** Publishes a relation to PostgreSQL as a postgres sink does (postgres/publish.ts). */
export async function publishToPostgres(...args: Parameters<typeof import('./postgres/publish').publishToPostgres>): ReturnType<typeof import('./postgres/publish').publishToPostgres> {
  return (await import('./postgres/publish')).publishToPostgres(...args);
}
/** The engine's DuckDB checkpoint setting, for benchmarks whose raw baseline must match it. */
export { CHECKPOINT_THRESHOLD } from './duckdb/storage-settings';
