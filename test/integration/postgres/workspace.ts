/**
 * A throwaway workspace whose `mart` connection points at a test PostgreSQL server through
 * `${env:...}` references, and a one-call way to run pipelines in it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../../shared/run/events';
import type { RunOutcome } from '../../../src-main/engine';
import { runPipelineFile } from '../../support/engine';
import type { PostgresServer } from '../../support/postgres-server';

export const MART_CONNECTION = {
  kind: 'postgres',
  host: '${env:MART_HOST}',
  port: '${env:MART_PORT}',
  database: '${env:MART_DB}',
  user: '${env:MART_USER}',
  password: '${env:MART_PASSWORD}',
  sslmode: 'prefer',
} as const;

export interface NodeSpec {
  id: string;
  name?: string;
  kind: string;
  inputs?: string[];
  config: Record<string, unknown>;
  description?: string;
}

export interface TestWorkspace {
  root: string;
  /** Writes `pipelines/<name>.weir.json` and returns its path. */
  pipeline(name: string, nodes: NodeSpec[], params?: Record<string, { type: string; default?: string | number | boolean }>): string;
  run(
    file: string,
    opts?: { signal?: AbortSignal; onEvent?: (e: RunEvent) => void; recordDir?: string | null; params?: Record<string, string | number | boolean> },
  ): Promise<RunOutcome & { events: RunEvent[] }>;
  /** The values the `${env:...}` references resolve to (what a secret store would hold). */
  secrets: Record<string, string>;
  /** Removes the folder (call it in afterAll, or in a finally for a workspace made in a test). */
  remove(): void;
}

export function martWorkspace(server: Pick<PostgresServer, 'host' | 'port' | 'database' | 'user' | 'password'>): TestWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'weir-pg-ws-'));
  writeFileSync(
    join(root, 'weir.workspace.json'),
    JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections: { mart: MART_CONNECTION } } } }, null, 2),
  );
  mkdirSync(join(root, 'pipelines'));
  const secrets: Record<string, string> = {
    MART_HOST: server.host,
    MART_PORT: String(server.port),
    MART_DB: server.database,
    MART_USER: server.user,
    MART_PASSWORD: server.password,
  };
  return {
    root,
    secrets,
    remove: () => rmSync(root, { recursive: true, force: true }),
    pipeline(name, nodes, params = {}) {
      const file = join(root, 'pipelines', `${name}.weir.json`);
      const doc = {
        format: 'weir.pipeline',
        version: 1,
        name,
        params,
        nodes: nodes.map((n) => ({ id: n.id, name: n.name ?? n.id, kind: n.kind, ...(n.description ? { description: n.description } : {}), inputs: n.inputs ?? [], config: n.config })),
      };
      writeFileSync(file, JSON.stringify(doc, null, 2));
      return file;
    },
    async run(file, opts = {}) {
      const events: RunEvent[] = [];
      const outcome = await runPipelineFile({
        file,
        recordDir: opts.recordDir === undefined ? null : opts.recordDir,
        secrets: (n) => secrets[n],
        signal: opts.signal,
        params: opts.params,
        onEvent: (e) => {
          events.push(e);
          opts.onEvent?.(e);
        },
      });
      return { ...outcome, events };
    },
  };
}

/** A SQL node from lines. */
export function sqlNode(id: string, sql: string[], inputs: string[] = []): NodeSpec {
  return { id, kind: 'sql', inputs, config: { sql } };
}

/** A postgres_sink node on the `mart` connection. */
export function sinkNode(id: string, input: string, config: Record<string, unknown>): NodeSpec {
  return { id, kind: 'postgres_sink', inputs: [input], config: { connection: 'mart', ...config } };
}
