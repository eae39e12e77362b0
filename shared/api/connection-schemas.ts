import { z } from 'zod';

/**
 * The Connections panel: environments and their named connections as weir.workspace.json
 * writes them (values may be `${env:NAME}` references), and whether each referenced secret
 * is set where a run would look for it. Values of secrets never cross the API. What each kind
 * holds, and which of its fields are secrets, is its definition's (shared/connections/<kind>/).
 */
export const secretRef = z.strictObject({
  name: z.string(),
  /** Where a run finds it: the app's secret store (keychain), the process environment, or nowhere. */
  source: z.enum(['keychain', 'environment']).nullable(),
});
export type SecretRefDto = z.infer<typeof secretRef>;

export const connectionEntry = z.strictObject({
  name: z.string(),
  kind: z.string(),
  /** The connection as written in the file (no defaults filled in). */
  spec: z.record(z.string(), z.unknown()),
  refs: z.array(secretRef),
  /** One line when the entry does not match the schema of its kind. */
  problem: z.string().nullable(),
});
export type ConnectionEntryDto = z.infer<typeof connectionEntry>;

export const environmentEntry = z.strictObject({
  name: z.string(),
  description: z.string().nullable(),
  /** Marked `protected: true` in the file: runs against it are confirmed first. */
  protected: z.boolean(),
  connections: z.array(connectionEntry),
});
export type EnvironmentEntryDto = z.infer<typeof environmentEntry>;

export const connectionsInfo = z.strictObject({
  /** The workspace file that holds them (written on the first save when missing). */
  file: z.string(),
  hasFile: z.boolean(),
  defaultEnvironment: z.string(),
  environments: z.array(environmentEntry),
  /** Secrets survive a restart (the desktop's keychain) or live for this session only. */
  persistentSecrets: z.boolean(),
});
export type ConnectionsInfoDto = z.infer<typeof connectionsInfo>;

export const connectionTestResult = z.strictObject({
  ok: z.boolean(),
  message: z.string(),
  elapsedMs: z.number(),
});
export type ConnectionTestResultDto = z.infer<typeof connectionTestResult>;
