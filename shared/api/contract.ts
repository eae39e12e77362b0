import { z } from 'zod';
import { METHOD_NAMES, isEventName, isMethodName, type EventName, type MethodName } from './names';
import { pipelineV1 } from '../pipeline/schema';
import { docDelta } from '../pipeline/doc-delta';
import { identifier } from '../nodes/common';
import { inputSchema, sqlFunction } from './sql-schemas';
import {
  absolutePath,
  appInfo,
  draftInfo,
  folderListing,
  paramValues,
  pipelineDoc,
  pipelinePath,
  previewResult,
  runEventDto,
  runRecordDto,
  runListing,
  savedPipeline,
  secretName,
  validationIssue,
  workspaceChange,
  workspaceInfo,
} from './schemas';
import { connectionsInfo, connectionTestResult } from './connection-schemas';
import { profileResult } from './profile-schemas';
import { chartResult } from '../chart/results';
import { chartSpec, chartWindow } from '../chart/spec';
import { partitionsListing } from './lots-schemas';
import { planResult } from './plan-schemas';
import { previewFilters, previewOrderBy } from '../preview/query';
import { reviewReport } from '../review/schema';
import { explainRowValues, explanationDto, pipelineLineageDto } from './lineage-schemas';
import { reviewId, reviewKeys, reviewProgress } from './review-schemas';
import { runIdParam, runReleaseStatus, signInput, signingSubject, signOutput } from './gxp-schemas';
import { gitCommitResult, gitDiffResult, gitHistoryEntry, gitRestoreResult, gitRevision, gitStatus } from './git-schemas';

/**
 * THE API CONTRACT between the designer and the main process. One definition drives every
 * transport: the Electron IPC handlers and preload bridge, the browser shell's HTTP +
 * WebSocket server, and the renderer's client, so a call cannot exist in one and not the
 * other. Inputs are validated on the main side before a handler runs; outputs are checked
 * before they leave.
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  summary: string;
}

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): MethodSpec<I, O> => ({ input, output, summary });

const ws = { root: absolutePath };
const inPipeline = { root: absolutePath, path: pipelinePath };
const none = z.strictObject({});

/**
 * The document a preview, profile or schema lookup is about: the whole pipeline, or the edits
 * since a revision the file's warm session answered with (`base`). A session that no longer
 * holds that revision answers `stale`, and the client sends the whole pipeline once.
 */
const revisionId = z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'expected a revision id as a preview answered it');
const theDocument = {
  pipeline: pipelineV1.optional(),
  base: revisionId.optional(),
  edits: docDelta.optional(),
};
/** The revision the session now keeps the request's document under: the next request's `base` (previewResult and profileResult carry it too). */
const withRevision = { revision: revisionId };

export const methods = {
  'app.start': method(none, appInfo, 'What the designer shows first: version, shell, and the workspace to open'),

  'workspace.open': method(z.strictObject(ws), workspaceInfo, 'Open a workspace folder: its pipelines and environments; remembered in the recent list'),
  'workspace.openSample': method(none, workspaceInfo, 'Open (copying it on first use) the sample workspace with the CGT batch release template'),
  'workspace.recent': method(none, z.strictObject({ recent: z.array(z.string()) }), 'Recently opened workspace folders, newest first'),
  'fs.listFolders': method(
    z.strictObject({ path: absolutePath.optional() }),
    folderListing,
    'The sub-folders of a folder (home when omitted), for choosing a workspace',
  ),

  'pipeline.read': method(z.strictObject(inPipeline), pipelineDoc, 'Read and parse a pipeline file (older versions migrated)'),
  'pipeline.save': method(
    z.strictObject({
      ...inPipeline,
      pipeline: pipelineV1,
      /** The hash of the file as last read or saved; null when it must not exist yet. Omit to overwrite. */
      expectSha256: z.string().nullable().optional(),
    }),
    savedPipeline,
    'Write a pipeline in canonical form (load → save gives the same bytes)',
  ),
  'pipeline.create': method(
    z.strictObject({ root: absolutePath, name: identifier }),
    pipelineDoc,
    'Create an empty pipeline file pipelines/<name>.weir.json',
  ),
  'pipeline.validate': method(
    z.strictObject({
      pipeline: z.unknown(),
      /**
       * The open workspace and the pipeline's file in it: with them the answer also holds every
       * problem a run would stop on before touching data (the engine's preflight: the sandbox's
       * SQL and path checks, parameters, environment, connections), found on this document.
       */
      root: absolutePath.optional(),
      path: pipelinePath.optional(),
      environment: identifier.optional(),
      params: paramValues.optional(),
    }),
    z.strictObject({ issues: z.array(validationIssue) }),
    "Every problem with a pipeline document; with root and path, also every one a run would refuse it for",
  ),
  'pipeline.describeInputs': method(
    z.strictObject({
      ...inPipeline,
      ...theDocument,
      nodeId: z.string().min(1).max(64),
      params: paramValues.optional(),
      environment: identifier.optional(),
    }),
    z.strictObject({ inputs: z.array(inputSchema), ...withRevision }),
    "The columns of each input of a node of the (possibly unsaved) pipeline, for completion in its SQL editor; an input that fails says why",
  ),
  'sql.functions': method(none, z.strictObject({ functions: z.array(sqlFunction) }), "DuckDB's functions (name, type, description, simplest parameters), for completion"),
  'pipeline.run': method(
    z.strictObject({
      ...inPipeline,
      params: paramValues.optional(),
      environment: identifier.optional(),
      select: z.string().max(2000).optional(),
      /** A partitioned pipeline: only these lots (the designer's "run this lot"); by default the new, changed and failed ones. */
      partitions: z.array(z.string().min(1).max(128)).max(10_000).optional(),
      /** Why the run is made: kept in its run record (issue #18 item 4). */
      reason: z.string().max(2000).optional(),
    }),
    z.strictObject({ runId: z.string() }),
    'Start running the saved pipeline file (a partitioned one lot by lot); progress arrives as run.event',
  ),
  'pipeline.partitions': method(
    z.strictObject({ ...inPipeline, params: paramValues.optional(), environment: identifier.optional() }),
    partitionsListing,
    "A partitioned pipeline's lots, found in its sources' listings, with their state (as `weir partitions --json`)",
  ),
  'pipeline.plan': method(
    z.strictObject({
      ...inPipeline,
      /** The unsaved document, planned as if it were the file at `path`; omitted: the file on disk. */
      pipeline: pipelineV1.optional(),
      select: z.string().max(2000).optional(),
    }),
    planResult,
    'The order the nodes run in and the SQL statements each runs, without running anything (what `weir plan --json` prints)',
  ),
  'run.cancel': method(z.strictObject({ runId: z.string().min(1).max(200) }), z.strictObject({ cancelled: z.boolean() }), 'Cancel a run in progress'),
  'pipeline.preview': method(
    z.strictObject({
      ...inPipeline,
      ...theDocument,
      nodeId: z.string().min(1).max(64),
      limit: z.number().int().min(0).max(100_000).optional(),
      params: paramValues.optional(),
      environment: identifier.optional(),
      count: z.boolean().optional(),
      /** Sorted by DuckDB over the node's whole relation (first key first). */
      order_by: previewOrderBy.optional(),
      /** Only rows that pass every filter (column, operator, value: never SQL text). */
      filter: previewFilters.optional(),
      /** A partitioned pipeline's lot: only its inputs are read, and getvariable('<key>') is its value (docs/lots.md). */
      lot: z.string().min(1).max(128).optional(),
    }),
    previewResult,
    "The first rows of one node of the (possibly unsaved) pipeline; a new preview of the same file cancels the last one",
  ),
  'pipeline.profile': method(
    z.strictObject({
      ...inPipeline,
      ...theDocument,
      nodeId: z.string().min(1).max(64),
      params: paramValues.optional(),
      environment: identifier.optional(),
      /** As pipeline.preview's: the lot of a partitioned pipeline to profile. */
      lot: z.string().min(1).max(128).optional(),
    }),
    profileResult,
    'Per column of one node: nulls, distinct values, min, max and a small histogram; a new profile of the same file cancels the last one',
  ),
  'pipeline.chart': method(
    z.strictObject({
      ...inPipeline,
      ...theDocument,
      nodeId: z.string().min(1).max(64),
      chart: chartSpec,
      /** The chart's width in pixels: a line is reduced to about that many x buckets per series. */
      width: z.number().int().min(8).max(4000).optional(),
      /** A zoomed line or scatter: only the rows whose x is inside, reduced to the width again. */
      window: chartWindow.optional(),
      params: paramValues.optional(),
      environment: identifier.optional(),
    }),
    chartResult,
    "A chart of one node (line, bar, scatter, histogram), aggregated in DuckDB to about the chart's pixel width; a new chart of the same file cancels the last one",
  ),

  'pipeline.lineage': method(
    z.strictObject({
      ...inPipeline,
      ...theDocument,
      params: paramValues.optional(),
      environment: identifier.optional(),
    }),
    z.strictObject({ graph: pipelineLineageDto, ...withRevision }),
    "The column graph of the (possibly unsaved) pipeline: for every node's columns, the input columns each is computed from, direct and indirect",
  ),
  'pipeline.explain': method(
    z.strictObject({
      ...inPipeline,
      ...theDocument,
      nodeId: z.string().min(1).max(64),
      /** The row as the preview showed it. */
      row: explainRowValues,
      column: z.string().max(300).optional(),
      params: paramValues.optional(),
      environment: identifier.optional(),
    }),
    explanationDto.extend(withRevision),
    'Explain this value: one row of a node traced back to the rows of each input it came from, step by step, with failing check rows',
  ),
  'pipeline.review': method(
    z.strictObject({
      ...inPipeline,
      reviewId,
      /**
       * The designer's unsaved document: when given, it is the head of the review instead of the
       * file on disk (the report's head says so); omitted, the head is the working copy.
       */
      pipeline: pipelineV1.optional(),
      /** The base revision; HEAD when omitted. */
      base: gitRevision.optional(),
      keys: reviewKeys.optional(),
      allowCurrentInputs: z.boolean().optional(),
      params: paramValues.optional(),
      environment: identifier.optional(),
    }),
    reviewReport,
    "Review a change with data evidence (what `weir review --json` prints): the base revision against the working copy or the unsaved document; progress arrives as review.progress, review.cancel stops it",
  ),
  'review.cancel': method(z.strictObject({ reviewId }), z.strictObject({ cancelled: z.boolean() }), 'Cancel a review in progress'),

  'runs.list': method(
    z.strictObject({ ...ws, limit: z.number().int().min(1).max(1000).optional() }),
    runListing,
    'Run records in <workspace>/.weir/runs (and runs/unaudited), newest first; files that are not readable records are skipped and named',
  ),
  'runs.get': method(z.strictObject({ ...ws, runId: z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/) }), z.strictObject({ record: runRecordDto }), 'One run record'),
  'release.status': method(
    z.strictObject({ ...ws, runId: runIdParam.optional() }),
    z.strictObject({ runs: z.array(runReleaseStatus) }),
    'Release state and signatures of every recorded run (what `weir release status --json` prints)',
  ),
  'sign.subject': method(z.strictObject({ ...ws, runId: runIdParam }), signingSubject, 'Exactly what signing a run covers (pipeline commit, inputs, check results), and why it may not be signed'),
  'sign.run': method(
    z.strictObject({ ...ws, ...signInput.shape }),
    signOutput,
    "Sign a run record (`weir sign`); the passphrase unlocks the signer's key for this one signature and is not kept",
  ),

  'drafts.save': method(
    z.strictObject({ ...inPipeline, text: z.string().max(20_000_000), baseSha256: z.string().nullable() }),
    z.strictObject({ savedAt: z.string() }),
    'Keep unsaved work in <workspace>/.weir/drafts so that it survives a crash',
  ),
  'drafts.get': method(z.strictObject(inPipeline), z.strictObject({ draft: draftInfo.nullable() }), 'The unsaved draft of a pipeline, if any'),
  'drafts.discard': method(z.strictObject(inPipeline), z.strictObject({}), 'Forget the draft of a pipeline (after a save, or when the user discards it)'),

  'secrets.list': method(none, z.strictObject({ names: z.array(z.string()), persistent: z.boolean() }), 'Names of stored secrets (never their values)'),
  'secrets.set': method(z.strictObject({ name: secretName, value: z.string().max(100_000) }), z.strictObject({}), 'Store a secret (the OS keychain in the desktop app)'),
  'secrets.delete': method(z.strictObject({ name: secretName }), z.strictObject({}), 'Forget a secret'),

  'connections.list': method(z.strictObject(ws), connectionsInfo, "The workspace's environments and their connections, as weir.workspace.json writes them, with the state of each referenced secret"),
  'connections.save': method(
    z.strictObject({
      ...ws,
      environment: identifier,
      name: identifier,
      /** The connection's name before a rename. */
      previousName: identifier.optional(),
      /** Checked against the connection schema of its kind; secrets only as ${env:NAME}. */
      spec: z.record(z.string(), z.unknown()),
    }),
    connectionsInfo,
    'Create or replace a connection in weir.workspace.json (never a secret: those go to secrets.set)',
  ),
  'connections.delete': method(z.strictObject({ ...ws, environment: identifier, name: identifier }), connectionsInfo, 'Remove a connection from weir.workspace.json'),
  'connections.test': method(
    z.strictObject({ ...ws, environment: identifier, name: identifier, spec: z.record(z.string(), z.unknown()).optional() }),
    connectionTestResult,
    'Try a connection (the saved one, or an unsaved spec): folder exists, S3 lists one object, PostgreSQL answers select 1, HTTP answers a GET',
  ),
  'git.status': method(z.strictObject(ws), gitStatus, "Whether the workspace is in a git repository, and each pipeline file's state: new, modified, committed, deleted, conflicted"),
  'git.commit': method(
    z.strictObject({ ...ws, files: z.array(pipelinePath).min(1).max(10_000), message: z.string().min(1).max(100_000) }),
    gitCommitResult,
    'Commit exactly the chosen pipeline files with a message (author from git config, else the OS account)',
  ),
  'git.history': method(
    z.strictObject({ ...inPipeline, limit: z.number().int().min(1).max(10_000).optional() }),
    z.strictObject({ commits: z.array(gitHistoryEntry) }),
    'The commits that touched a pipeline file, newest first, following renames',
  ),
  'git.diff': method(
    z.strictObject({ ...inPipeline, from: gitRevision.optional(), to: gitRevision.optional(), context: z.number().int().min(0).max(1000).optional() }),
    gitDiffResult,
    'The semantic diff of a pipeline: HEAD vs the working copy by default, or from → working copy, or from → to',
  ),
  'git.restore': method(
    z.strictObject({ ...inPipeline, revision: gitRevision, confirm: z.boolean().optional() }),
    gitRestoreResult,
    'Write a pipeline file as it was at a revision (not committed); refused when it has uncommitted changes unless confirmed',
  ),
} as const satisfies Record<MethodName, MethodSpec>;

export type Methods = typeof methods;
export { isEventName, isMethodName, type EventName, type MethodName };
/** What a caller passes (defaults not yet applied). */
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
/** What a handler receives, after validation. */
export type MethodParams<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;

export const methodNames: readonly MethodName[] = METHOD_NAMES;

export const menuCommand = z.enum(['new', 'open', 'openRecent', 'save', 'saveAs', 'run', 'preview', 'undo', 'redo', 'toggleTheme', 'zoomToFit', 'autoLayout', 'toggleSidebar', 'toggleInspector', 'togglePanel']);
export type MenuCommand = z.infer<typeof menuCommand>;

/** What the main process pushes to the renderer. */
export const events = {
  'run.event': z.strictObject({ root: z.string(), path: z.string(), event: runEventDto }),
  /** A step of a review started with pipeline.review (its reviewId). */
  'review.progress': z.strictObject({ root: z.string(), path: z.string(), reviewId: z.string(), progress: reviewProgress }),
  /**
   * Pipeline files of the open workspace changed outside the app (git checkout, pull, another
   * editor): each with its new hash, or null when deleted; `git`: HEAD moved (a commit, a
   * checkout), so git's marks may have changed too. The service's own writes are not reported.
   */
  'workspace.changed': z.strictObject({ root: z.string(), changes: z.array(workspaceChange), git: z.boolean() }),
  /** The desktop's application menu; the browser shell has its own toolbar instead. */
  'menu.command': z.strictObject({ command: menuCommand, path: z.string().optional() }),
} as const satisfies Record<EventName, z.ZodType>;

export type Events = typeof events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
