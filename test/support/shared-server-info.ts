/**
 * What the integration tier's global setup (global-servers.ts) hands to test files through
 * vitest's provide/inject: where the run's one PostgreSQL cluster and one s3rver listen.
 */

/** The cluster's superuser: only postgresDatabase() uses it, to make a role and a database per file. */
export interface SharedPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface SharedS3 {
  endpoint: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    weirPostgres: SharedPostgres;
    weirS3: SharedS3;
  }
}
