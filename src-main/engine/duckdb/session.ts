import { randomBytes } from 'node:crypto';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { ident } from './sql';

export type Row = Record<string, unknown>;

/**
 * A run's (or a preview's) private place in the shared DuckDB instance: an attached
 * in-memory catalog that every connection of the session `USE`s, so that each node is
 * a relation named by its own name, as the SQL the analyst wrote expects.
 */
export class Session {
  private readonly connections: DuckDBConnection[] = [];
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly catalog: string,
    readonly main: DuckDBConnection,
  ) {
    this.connections.push(main);
  }

  static async open(instance: DuckDBInstance): Promise<Session> {
    const catalog = `weir_${randomBytes(6).toString('hex')}`;
    const conn = await instance.connect();
    await conn.run(`ATTACH ':memory:' AS ${ident(catalog)}`);
    await conn.run(`USE ${ident(catalog)}`);
    return new Session(instance, catalog, conn);
  }

  /** Another connection on the same catalog, for a branch that runs concurrently. */
  async connect(): Promise<DuckDBConnection> {
    const conn = await this.instance.connect();
    await conn.run(`USE ${ident(this.catalog)}`);
    this.connections.push(conn);
    return conn;
  }

  interrupt(): void {
    for (const c of this.connections) c.interrupt();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.main.run('USE memory');
      await this.main.run(`DETACH ${ident(this.catalog)}`);
    } catch {
      // Detaching is tidying only; a connection interrupted mid-query may refuse it.
    }
    for (const c of this.connections) c.closeSync();
  }
}

export async function queryRows(conn: DuckDBConnection, sql: string, values?: DuckDBValue[]): Promise<Row[]> {
  const reader = await conn.runAndReadAll(sql, values);
  return reader.getRowObjectsJS() as Row[];
}
