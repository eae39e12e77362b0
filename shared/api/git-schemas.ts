import { z } from 'zod';
import type { PipelineDiff } from '../pipeline/semantic-diff';

/** The designer's git methods: pipeline states, commit, history, semantic diff, restore (docs/git.md). */

export const gitState = z.enum(['new', 'modified', 'committed', 'deleted', 'conflicted']);
export type GitState = z.infer<typeof gitState>;

export const gitStatus = z.strictObject({
  /** False when the workspace is not in a git repository: versioning is then unavailable. */
  isRepo: z.boolean(),
  branch: z.string().nullable(),
  head: z.string().nullable(),
  /** Every `*.weir.json` under the workspace, by workspace-relative path. */
  files: z.array(z.strictObject({ path: z.string(), state: gitState })),
});
export type GitStatusInfo = z.infer<typeof gitStatus>;

export const gitIdentity = z.strictObject({ name: z.string(), email: z.string() });

export const gitCommitResult = z.strictObject({
  commit: z.string(),
  shortCommit: z.string(),
  author: gitIdentity,
  /** git had no user.name / user.email, so Weir committed as the OS account. */
  usedFallbackIdentity: z.boolean(),
  files: z.array(z.string()),
});

export const gitHistoryEntry = z.strictObject({
  commit: z.string(),
  shortCommit: z.string(),
  author: gitIdentity,
  date: z.string(),
  subject: z.string(),
  body: z.string(),
  path: z.string(),
});
export type GitHistoryEntry = z.infer<typeof gitHistoryEntry>;

export const gitDiffSide = z.strictObject({
  label: z.string(),
  commit: z.string().nullable(),
  exists: z.boolean(),
  migratedFrom: z.number().nullable(),
});

/** A git revision as the user may type it (a commit id, HEAD~2, a branch); never an option. */
export const gitRevision = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^-\s][^\s]*$/, 'a revision such as a commit id, HEAD or HEAD~1');

export const gitDiffResult = z.strictObject({
  before: gitDiffSide,
  after: gitDiffSide,
  /** The semantic diff (shared/pipeline/semantic-diff.ts), produced by the same code the CLI uses. */
  diff: z.custom<PipelineDiff>((v) => typeof v === 'object' && v !== null && 'summary' in v, 'a pipeline diff'),
  /** The same diff as `weir diff` prints it. */
  text: z.string(),
  summary: z.string(),
});
export type GitDiffResult = z.infer<typeof gitDiffResult>;

export const gitRestoreResult = z.strictObject({
  commit: z.string(),
  path: z.string(),
  migratedFrom: z.number().nullable(),
});
