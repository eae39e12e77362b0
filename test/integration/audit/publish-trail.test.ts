import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditEntries } from '../../../src-main/engine/audit/audit-log';
import { runWeir, WEIR_BIN } from '../../support/cli';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { tempDir } from '../../support/temp-dir';

/**
 * The audit trail comes before the data: a run that cannot append to it publishes nothing,
 * and a run killed between its publish intent and its outcome leaves an entry that explains
 * what it published, which the next run reconciles. (Issues "Safe to run what you pull" and
 * "Crash-consistent publishing".)
 */

function workspace(extraConnections: Record<string, unknown> = {}): string {
  const ws = tempDir('weir-publish-trail-');
  mkdirSync(join(ws, 'pipelines'));
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections: extraConnections } } }));
  return ws;
}

function pipeline(ws: string, name: string, value: number, extraNodes: object[] = []): string {
  const file = join(ws, 'pipelines', `${name}.weir.json`);
  const nodes = [
    { id: 'rows', name: 'rows', kind: 'seed', inputs: [], config: { columns: [{ name: 'v', type: 'INTEGER' }], rows: [[value]] } },
    { id: 'out', name: 'out', kind: 'file_sink', inputs: ['rows'], config: { path: 'curated/out.csv', format: 'csv' } },
    ...extraNodes,
  ];
  writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name, nodes }, null, 2));
  return file;
}

const output = (ws: string) => readFileSync(join(ws, 'curated/out.csv'), 'utf8');

describe('a run that cannot append to the audit trail', () => {
  it('publishes nothing when the log is damaged, and keeps its record apart', async () => {
    const ws = workspace();
    expect((await runWeir(['run', pipeline(ws, 'p', 1)])).code).toBe(0);
    expect(output(ws)).toBe('v\n1\n');
    appendFileSync(join(ws, '.weir/audit/log.jsonl'), '{"seq": 2, "damaged');
    const run = await runWeir(['run', pipeline(ws, 'p', 2)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^weir: .*nothing was published: .*last line is damaged/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(output(ws)).toBe('v\n1\n');
    // The record exists, apart from the audited ones, and says nothing was published.
    const apart = readdirSync(join(ws, '.weir/runs/unaudited'));
    expect(apart).toHaveLength(1);
    const record = JSON.parse(readFileSync(join(ws, '.weir/runs/unaudited', apart[0]!), 'utf8'));
    expect(record.publishing).toMatchObject({ mode: 'all', published: [], discarded: ['out'] });
  });

  it('publishes nothing while another process holds the log lock past the wait', async () => {
    const ws = workspace();
    expect((await runWeir(['run', pipeline(ws, 'p', 1)])).code).toBe(0);
    // A live holder on this host (this test process): not stale.
    writeFileSync(join(ws, '.weir/audit/log.lock'), `${process.pid}\n${hostname()}\n`);
    const run = await runWeir(['run', pipeline(ws, 'p', 2)], { env: { WEIR_AUDIT_LOCK_WAIT_MS: '500' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nothing was published: .*held by another run/);
    expect(output(ws)).toBe('v\n1\n');
  });
});

describe('a run killed between its publish intent and its outcome', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await postgresDatabase();
  });
  afterAll(async () => {
    await server?.teardown();
  });

  it('leaves an intent that verify reports as a run that died, and the next run reconciles what it published', async () => {
    const mart = { kind: 'postgres', host: server.host, port: server.port, database: server.database, user: server.user, password: server.password, sslmode: 'disable' };
    const ws = workspace({ mart });
    // After the file sink, a PostgreSQL sink whose commit waits on a lock the test holds: the
    // file output is published, then the process is killed while the mart waits.
    const pgSink = { id: 'mart', name: 'mart', kind: 'postgres_sink', inputs: ['rows'], config: { connection: 'mart', table: 'held', mode: 'replace', lock_timeout_seconds: 60 } };
    expect((await runWeir(['run', pipeline(ws, 'p', 1, [pgSink])])).code).toBe(0);
    const holder = new pg.Client({ host: server.host, port: server.port, database: server.database, user: server.user, password: server.password });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE public.held IN ACCESS SHARE MODE');
      const file = pipeline(ws, 'p', 2, [pgSink]);
      const child = spawn(process.execPath, [WEIR_BIN, 'run', file, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c;
          if (out.includes('"type":"node_published"') && out.includes('"name":"out"')) {
            // The mart's swap is now waiting for the lock: kill the runner here.
            setTimeout(() => child.kill('SIGKILL'), 300);
          }
        });
        child.on('exit', () => resolve());
        child.on('error', reject);
      });
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      await holder.end();
    }
    // The file output is the new one; the audit trail has the intent and no outcome.
    expect(output(ws)).toBe('v\n2\n');
    const entries = await readAuditEntries(ws);
    const last = entries[entries.length - 1]!;
    expect((last.record as unknown as { format: string }).format).toBe('weir.publish_intent');
    const verify = await runWeir(['audit', 'verify', '--workspace', ws]);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/note: .*died while publishing/);
    // The mart was not changed (the transaction died with the runner).
    expect(await server.query('SELECT v FROM public.held')).toEqual([{ v: 1 }]);

    // The next run (of any pipeline of the workspace) reconciles it before it publishes.
    expect((await runWeir(['run', pipeline(ws, 'other', 3)])).code).toBe(0);
    const after = await readAuditEntries(ws);
    const reconciled = after.find((e) => (e.record as unknown as { format: string }).format === 'weir.publish_reconciled');
    expect(reconciled?.runId).toBe(last.runId);
    const sinks = (reconciled!.record as unknown as { sinks: { node: string; published: unknown }[] }).sinks;
    // The first run of `other` rewrote curated/out.csv after reconciling, which found the dead run's file published.
    expect(sinks).toEqual([
      expect.objectContaining({ node: 'out', published: true }),
      expect.objectContaining({ node: 'mart', published: 'unknown' }),
    ]);
    const again = await runWeir(['audit', 'verify', '--workspace', ws]);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/note:/);
    expect(existsSync(join(ws, '.weir/audit/open'))).toBe(true);
    expect(readdirSync(join(ws, '.weir/audit/open'))).toEqual([]);
  });
});
