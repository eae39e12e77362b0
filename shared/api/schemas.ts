import { z } from 'zod';
import { runEvent, runOutcome } from '../run/events';
import { runRecordV3 } from '../run/record';
import { pipelineV1 } from '../pipeline/schema';
import { previewColumn, previewResult, type PreviewResult } from '../preview/results';

/**
 * The shapes the API contract passes around. Paths: a workspace is named by its absolute
 * folder (`root`); a pipeline by its path inside the workspace, with forward slashes.
 */

export const absolutePath = z
  .string()
  .min(1, 'expected a folder path')
  .max(4096)
  .refine((p) => !p.includes('\0'), 'expected a path without NUL characters')
  // POSIX `/…`, Windows `C:\…` or `\\server\share`: the main process never guesses a base folder.
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'expected an absolute path');

/** A pipeline file inside the workspace: relative, no `..`, ending in `.weir.json`. */
export const pipelinePath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !p.includes('\0') && !p.includes('\\'), 'expected a path with forward slashes')
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p), 'expected a path relative to the workspace')
  .refine((p) => !p.split('/').some((s) => s === '..' || s === '.' || s === ''), 'expected a path inside the workspace (no "..", no empty parts)')
  .refine((p) => p.endsWith('.weir.json'), 'expected a *.weir.json file');

export const validationIssue = z.strictObject({ path: z.string(), message: z.string() });

export const pipelineEntry = z.strictObject({
  path: z.string(),
  /** The pipeline's `name`, or the file name when it cannot be read. */
  name: z.string(),
  nodes: z.number().int().nullable(),
  /** One line saying why the file cannot be opened, if it cannot. */
  error: z.string().nullable(),
  modifiedAt: z.string(),
});
export type PipelineEntry = z.infer<typeof pipelineEntry>;

export const workspaceInfo = z.strictObject({
  root: z.string(),
  name: z.string(),
  pipelines: z.array(pipelineEntry),
  environments: z.array(z.string()),
  /** The environments marked `protected: true` (production): the designer shows when one is in use and confirms runs against it. */
  protectedEnvironments: z.array(z.string()),
  defaultEnvironment: z.string(),
  hasWorkspaceFile: z.boolean(),
  /** The sample workspace copied on first start. */
  sample: z.boolean(),
});
export type WorkspaceInfo = z.infer<typeof workspaceInfo>;

/** A pipeline file of the open workspace changed outside the app: its new hash (as pipeline.read gives it), or null when it is gone. */
export const workspaceChange = z.strictObject({ path: z.string(), sha256: z.string().nullable() });
export type WorkspaceChange = z.infer<typeof workspaceChange>;

export const pipelineDoc = z.strictObject({
  path: z.string(),
  /** The file's bytes as read (the canonical form after a save). */
  text: z.string(),
  sha256: z.string(),
  pipeline: pipelineV1,
  migratedFrom: z.number().int().nullable(),
  /** Problems that do not stop the designer opening the file (a node's config, a missing input). */
  issues: z.array(validationIssue),
});
export type PipelineDoc = z.infer<typeof pipelineDoc>;

export const savedPipeline = z.strictObject({
  path: z.string(),
  text: z.string(),
  sha256: z.string(),
  issues: z.array(validationIssue),
});
export type SavedPipeline = z.infer<typeof savedPipeline>;

export const paramValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** One definition with the engine's preview result (shared/preview/results.ts). */
export { previewColumn, previewResult };
export type PreviewResultDto = PreviewResult;

export const runStatus = runOutcome;

export const runSummary = z.strictObject({
  runId: z.string(),
  pipeline: z.string(),
  file: z.string(),
  status: runStatus,
  environment: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  user: z.string(),
  nodes: z.number().int(),
  failedNodes: z.number().int(),
  /** False for a run the audit trail refused: its record is apart, in `.weir/runs/unaudited/`. */
  audited: z.boolean(),
});
export type RunSummary = z.infer<typeof runSummary>;

/** History: the newest runs, and the files in the record folders that are not readable run records. */
export const runListing = z.strictObject({
  runs: z.array(runSummary),
  /** Each with its path relative to the workspace and one line saying why it was skipped. */
  skipped: z.array(z.strictObject({ file: z.string(), reason: z.string() })),
});
export type RunListing = z.infer<typeof runListing>;

/** Run records and events cross the wire in their own versioned schemas (shared/run/). */
export const runRecordDto = runRecordV3;
export const runEventDto = runEvent;

export const draftInfo = z.strictObject({
  path: z.string(),
  text: z.string(),
  /** The file's hash when the draft was started (null: the file did not exist). */
  baseSha256: z.string().nullable(),
  savedAt: z.string(),
});
export type DraftInfo = z.infer<typeof draftInfo>;

export const folderListing = z.strictObject({
  path: z.string(),
  parent: z.string().nullable(),
  folders: z.array(z.strictObject({ name: z.string(), path: z.string(), isWorkspace: z.boolean() })),
  isWorkspace: z.boolean(),
});
export type FolderListing = z.infer<typeof folderListing>;

export const shellKind = z.enum(['electron', 'browser']);

export const appInfo = z.strictObject({
  version: z.string(),
  shell: shellKind,
  platform: z.string(),
  /** The workspace to show first: the one asked for, the last one used, or the sample. */
  workspace: workspaceInfo.nullable(),
  recent: z.array(z.string()),
  /** Why no workspace could be opened, when `workspace` is null. */
  notice: z.string().nullable(),
});
export type AppInfo = z.infer<typeof appInfo>;

/** Secret names as environment variables spell them (`${env:NAME}` in the workspace file). */
export const secretName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'expected a secret name like PG_PASSWORD');
