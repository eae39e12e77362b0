import { z } from 'zod';
import { identifier } from '../nodes/common';
import { connectionSpec } from '../connections/kinds';

export const WORKSPACE_FILE = 'weir.workspace.json';
export const WORKSPACE_FORMAT = 'weir.workspace';
export const WORKSPACE_VERSION = 1;
/** The workspace file's JSON Schema, from the repository root (scripts/gen-json-schema.ts writes it). */
export const WORKSPACE_SCHEMA_PATH = `schema/weir.workspace.v${WORKSPACE_VERSION}.schema.json`;

/**
 * The connection kinds (folder, s3, postgres, http) each live in their own folder under
 * shared/connections/; the union of their schemas is what an environment's connections hold.
 */
export { folderConnection } from '../connections/folder';
export { s3Connection } from '../connections/s3';
export { postgresConnection } from '../connections/postgres';
export { httpConnection } from '../connections/http';
export { connectionSpec, type ConnectionSpec } from '../connections/kinds';

export const environmentSpec = z.strictObject({
  description: z.string().optional(),
  /**
   * Production-like (its marts and lake are what others read): the designer colours the top
   * bar while it is in use and asks before a run against it. Absent means false, so files
   * written before the field existed stay valid and unchanged.
   */
  protected: z.boolean().optional(),
  connections: z.record(identifier, connectionSpec).default({}),
});

/**
 * Where partitioned pipelines keep their lot states (docs/lots.md): by default in the lake beside
 * their first lake sink (or in `.weir/lots/`); with this, in a PostgreSQL table of the named
 * connection (resolved in the run's environment), for server deployments whose machines share
 * a database. The table is made when missing.
 */
export const lotStateSetting = z.strictObject({
  connection: identifier,
  schema: identifier.default('public'),
  table: identifier.default('weir_lot_states'),
});

export const workspaceV1 = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(WORKSPACE_FORMAT),
  version: z.literal(1),
  default_environment: identifier.default('dev'),
  environments: z.record(identifier, environmentSpec).default({}),
  lot_states: lotStateSetting.optional(),
});
export type WorkspaceFile = z.infer<typeof workspaceV1>;

/** `${env:NAME}` references in a value, for resolution and for telling the user what to set. */
export const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The names of the environments marked `protected: true`. */
export const protectedEnvironments = (file: WorkspaceFile): string[] => Object.entries(file.environments).flatMap(([name, env]) => (env.protected ? [name] : []));
