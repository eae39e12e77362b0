import { z } from 'zod';
import { identifier } from '../nodes/common';
import { crossOrigin } from '../nodes/http-source';

export const WORKSPACE_FILE = 'weir.workspace.json';
export const WORKSPACE_FORMAT = 'weir.workspace';

/**
 * A value that may be `${env:NAME}`: resolved when a run starts, so the file holds no
 * secret. The desktop resolves such names from the OS keychain first.
 */
export const secretish = z.string();

export const folderConnection = z.strictObject({
  kind: z.literal('folder'),
  /** Relative to the workspace folder, or absolute. */
  path: z.string().min(1),
});

export const s3Connection = z.strictObject({
  kind: z.literal('s3'),
  bucket: secretish,
  /** Custom endpoint for MinIO and other S3-compatible servers; omit for AWS. */
  endpoint: secretish.optional(),
  region: secretish.default('us-east-1'),
  /** MinIO needs path-style addressing. */
  force_path_style: z.boolean().default(true),
  /** Omit both to use the standard AWS chain (AWS_ACCESS_KEY_ID, profiles, roles). */
  access_key_id: secretish.optional(),
  secret_access_key: secretish.optional(),
  session_token: secretish.optional(),
  /** Key prefix inside the bucket that this connection is rooted at. */
  root: z.string().default(''),
  /** Files above this size (MiB) upload as multipart uploads and download as parallel ranged GETs; setting it sets both. Defaults: uploads split above 16, downloads above 64. */
  multipart_threshold_mb: z.number().positive().optional(),
  /** Part size (MiB) for those transfers; S3 and MinIO need at least 5; default 8. */
  part_size_mb: z.number().min(5).optional(),
});

export const postgresConnection = z.strictObject({
  kind: z.literal('postgres'),
  /** Each falls back to the standard PG* environment variable. */
  host: secretish.optional(),
  port: z.union([z.number().int(), secretish]).optional(),
  database: secretish.optional(),
  user: secretish.optional(),
  password: secretish.optional(),
  sslmode: z.enum(['disable', 'prefer', 'require', 'verify-ca', 'verify-full']).optional(),
});

export const httpConnection = z.strictObject({
  kind: z.literal('http'),
  base_url: secretish,
  headers: z.record(z.string(), secretish).default({}),
  /** A next page or redirect at another origin: refused (default), or asked without the headers and secret query values. */
  cross_origin: crossOrigin.optional(),
});

export const connectionSpec = z.discriminatedUnion('kind', [folderConnection, s3Connection, postgresConnection, httpConnection]);
export type ConnectionSpec = z.infer<typeof connectionSpec>;

export const environmentSpec = z.strictObject({
  description: z.string().optional(),
  connections: z.record(identifier, connectionSpec).default({}),
});

export const workspaceV1 = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(WORKSPACE_FORMAT),
  version: z.literal(1),
  default_environment: identifier.default('dev'),
  environments: z.record(identifier, environmentSpec).default({}),
});
export type WorkspaceFile = z.infer<typeof workspaceV1>;

/** `${env:NAME}` references in a value, for resolution and for telling the user what to set. */
export const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;
