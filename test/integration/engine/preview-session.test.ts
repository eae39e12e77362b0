import { existsSync, mkdirSync, readdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WeirError } from '../../../shared/errors';
import { parsePipeline } from '../../../shared/pipeline/parse';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { contextFromEnvironment } from '../../../src-main/engine/default-context';
import { describeInputs } from '../../../src-main/engine/run/input-schemas';
import { previewNode } from '../../../src-main/engine/run/preview';
import { PreviewSession } from '../../../src-main/engine/run/preview-session';
import { profileNode } from '../../../src-main/engine/run/profile';
import { renameNode } from '../../../shared/pipeline/rename';
import { allowedDirectories, scratchRoot } from '../../../src-main/engine/sandbox/allowed-dirs';
import { findWorkspace } from '../../../src-main/engine/workspace/workspace';
import { processTag } from '../../../src-main/engine/storage/owner-tag';
import { tempDir } from '../../support/temp-dir';
import { bytesHashed } from '../../../src-main/engine/storage/file-hash';

const engine = contextFromEnvironment(process.env);
const sessions: PreviewSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});

/**
 * Sets the data files' and folder's times a minute back: a watch does not vouch for files
 * changed within the last clock ticks (nodes/file-source/watch.ts, RACY_MS), as if the test
 * waited that long.
 */
function age(dir: string): void {
  const past = new Date(Date.now() - 60_000);
  const data = join(dir, 'data');
  for (const p of [data, ...readdirSync(data).map((f) => join(data, f))]) utimesSync(p, past, past);
}

/**
 * data/*.csv (read by `src`) → `typed` (reads the parameter factor) → `total`;
 * `plain` reads `src` too, and no parameter.
 */
function setup(): { dir: string; file: string; doc: Pipeline; session: PreviewSession } {
  const dir = tempDir();
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'a.csv'), 'id,v\n1,10\n2,20\n');
  const file = join(dir, 'p.weir.json');
  const doc = parsePipeline(
    JSON.stringify({
      format: 'weir.pipeline',
      version: 1,
      name: 'p',
      params: { factor: { type: 'integer', default: 2 } },
      nodes: [
        { id: 'src', name: 'src', kind: 'file_source', inputs: [], config: { path: 'data/*.csv', format: 'csv' } },
        { id: 'typed', name: 'typed', kind: 'sql', inputs: ['src'], config: { sql: ["select id, v * getvariable('factor') as v2 from src"] } },
        { id: 'total', name: 'total', kind: 'sql', inputs: ['typed'], config: { sql: ['select sum(v2) as s from typed'] } },
        { id: 'plain', name: 'plain', kind: 'sql', inputs: ['src'], config: { sql: ['select count(*) as n from src'] } },
      ],
      layout: {},
    }),
  ).pipeline;
  writeFileSync(file, JSON.stringify(doc));
  age(dir);
  const session = new PreviewSession(engine, file);
  sessions.push(session);
  return { dir, file, doc, session };
}

const edit = (doc: Pipeline, fn: (p: Pipeline) => void): Pipeline => {
  const p = structuredClone(doc);
  fn(p);
  return p;
};

const sqlOf = (doc: Pipeline, id: string, sql: string) =>
  edit(doc, (p) => {
    p.nodes.find((n) => n.id === id)!.config = { sql: [sql] };
  });

async function rows(session: PreviewSession, file: string, pipeline: Pipeline, nodeId: string, params?: Record<string, number>) {
  return (await previewNode(engine, { pipeline, file, nodeId, params }, session)).rows;
}

/** The relations in the session's catalog (asked through the session, for a node of `doc` it keeps). */
async function catalogNames(session: PreviewSession, doc: Pipeline): Promise<string[]> {
  return session.withNode({ pipeline: doc, file: session.file, nodeId: 'src' }, async (conn) => {
    const reader = await conn.runAndReadAll(
      'SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal ORDER BY 1',
    );
    return reader.getRows().map((r) => String(r[0]));
  });
}

describe('a warm preview session', () => {
  it('keeps every node of a second identical preview, with the same rows', async () => {
    const { file, doc, session } = setup();
    const first = await rows(session, file, doc, 'total');
    expect(first).toEqual([[60]]);
    expect(session.last.made).toEqual(['src', 'typed', 'total']);
    expect(await rows(session, file, doc, 'total')).toEqual(first);
    expect(session.last).toEqual({ made: [], kept: ['src', 'typed', 'total'] });
  });

  it("makes again a node whose SQL changed and what reads it, not its upstream", async () => {
    const { file, doc, session } = setup();
    await rows(session, file, doc, 'total');
    const edited = sqlOf(doc, 'typed', "select id, v * getvariable('factor') + 1 as v2 from src");
    expect(await rows(session, file, edited, 'total')).toEqual([[62]]);
    expect(session.last).toEqual({ made: ['typed', 'total'], kept: ['src'] });
  });

  it('makes again everything downstream of a changed upstream node', async () => {
    const { file, doc, session } = setup();
    await rows(session, file, doc, 'total');
    await rows(session, file, doc, 'plain');
    const edited = edit(doc, (p) => {
      p.nodes[0]!.config = { path: 'data/*.csv', format: 'csv', csv: { header: true, delimiter: ',', null_strings: ['10'], all_varchar: false } };
    });
    expect(await rows(session, file, edited, 'total')).toEqual([[40]]);
    expect(session.last).toEqual({ made: ['src', 'typed', 'total'], kept: [] });
    expect(await rows(session, file, edited, 'plain')).toEqual([[2]]);
    expect(session.last).toEqual({ made: ['plain'], kept: ['src'] });
  });

  it('makes again only the nodes that read a changed parameter', async () => {
    const { file, doc, session } = setup();
    await rows(session, file, doc, 'total');
    await rows(session, file, doc, 'plain');
    expect(await rows(session, file, doc, 'total', { factor: 3 })).toEqual([[90]]);
    expect(session.last).toEqual({ made: ['typed', 'total'], kept: ['src'] });
    expect(await rows(session, file, doc, 'plain', { factor: 3 })).toEqual([[2]]);
    expect(session.last).toEqual({ made: [], kept: ['src', 'plain'] });
  });

  it('never shows a stale preview after a source file changed, was added or removed', async () => {
    const { dir, file, doc, session } = setup();
    expect(await rows(session, file, doc, 'total')).toEqual([[60]]);
    // Same size, other bytes.
    writeFileSync(join(dir, 'data', 'a.csv'), 'id,v\n1,30\n2,40\n');
    expect(await rows(session, file, doc, 'total')).toEqual([[140]]);
    expect(session.last.made).toEqual(['src', 'typed', 'total']);
    writeFileSync(join(dir, 'data', 'b.csv'), 'id,v\n3,1\n');
    expect(await rows(session, file, doc, 'total')).toEqual([[142]]);
    renameSync(join(dir, 'data', 'b.csv'), join(dir, 'data', 'b.txt'));
    expect(await rows(session, file, doc, 'total')).toEqual([[140]]);
    // Files changed within the last clock ticks are read again at every preview...
    expect(await rows(session, file, doc, 'total')).toEqual([[140]]);
    expect(session.last.made).toEqual(['src', 'typed', 'total']);
    // ...and kept once they are older than a tick could hide.
    age(dir);
    expect(await rows(session, file, doc, 'total')).toEqual([[140]]);
    expect(await rows(session, file, doc, 'total')).toEqual([[140]]);
    expect(session.last.made).toEqual([]);
  });

  it('drops the relation of a node renamed or deleted, and previews the renamed one under its new name', async () => {
    const { file, doc, session } = setup();
    await rows(session, file, doc, 'total');
    await rows(session, file, doc, 'plain');
    expect(await catalogNames(session, doc)).toEqual(['plain', 'src', 'total', 'typed']);
    const renamed = renameNode(doc, 'typed', 'doubled').pipeline;
    expect(renamed.nodes.find((n) => n.id === 'total')!.config).toMatchObject({ sql: ['select sum(v2) as s from doubled'] });
    expect(await rows(session, file, renamed, 'total')).toEqual([[60]]);
    expect(session.last).toEqual({ made: ['doubled', 'total'], kept: ['src'] });
    const deleted = edit(renamed, (p) => {
      p.nodes = p.nodes.filter((n) => n.id !== 'plain');
    });
    await rows(session, file, deleted, 'total');
    expect(await catalogNames(session, deleted)).toEqual(['doubled', 'src', 'total']);
  });

  it('turns a view into a table when it starts to fan out, and back', async () => {
    const { file, doc, session } = setup();
    await rows(session, file, doc, 'total');
    const fanned = edit(doc, (p) => {
      p.nodes.push({ id: 'again', name: 'again', kind: 'sql', inputs: ['typed'], config: { sql: ['select max(v2) as m from typed'] } });
    });
    expect(await rows(session, file, fanned, 'again')).toEqual([[40]]);
    expect(session.last.made).toEqual(['typed', 'again']);
    // Back to a view; what reads it by name needs nothing new.
    expect(await rows(session, file, doc, 'total')).toEqual([[60]]);
    expect(session.last).toEqual({ made: ['typed'], kept: ['src', 'total'] });
  });

  it('still has the sandbox check every node: SQL that passed before is refused once it changes', async () => {
    const { file, doc, session } = setup();
    await rows(session, file, doc, 'total');
    const hostile = sqlOf(doc, 'typed', "select * from read_text('/etc/passwd')");
    const err = await previewNode(engine, { pipeline: hostile, file, nodeId: 'total' }, session).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeirError);
    expect((err as Error).message).toMatch(/node "typed".*read_text/);
    const copy = sqlOf(doc, 'typed', "COPY (select 1) TO 'x.csv'");
    await expect(previewNode(engine, { pipeline: copy, file, nodeId: 'total' }, session)).rejects.toThrow(/COPY statement/);
    expect(await rows(session, file, doc, 'total')).toEqual([[60]]);
  });

  it('profiles and describes in the same session, leaving no temporary table behind', async () => {
    const { file, doc, session } = setup();
    await rows(session, file, doc, 'total');
    const profile = await profileNode(engine, { pipeline: doc, file, nodeId: 'typed' }, session);
    expect(profile.rows).toBe(2);
    expect(session.last.kept).toEqual(['src', 'typed']);
    const inputs = await describeInputs(engine, { pipeline: doc, file, nodeId: 'total' }, session);
    expect(inputs[0]?.columns.map((c) => c.name)).toEqual(['id', 'v2']);
    // A node may be called what the profile's temporary table is called.
    const named = edit(doc, (p) => {
      p.nodes.push({ id: 'wp', name: '__weir_profile', kind: 'sql', inputs: ['src'], config: { sql: ['select 7 as seven'] } });
    });
    expect(await rows(session, file, named, 'wp')).toEqual([[7]]);
  });

  it('a cancelled preview stops DuckDB, and the session serves the next one', async () => {
    const { file, doc, session } = setup();
    const slow = sqlOf(doc, 'total', 'select sum(hash(i, v2)) as s from typed, range(5000000000) t(i)');
    const controller = new AbortController();
    // Cancelled once the slow query runs (every node made), not after a fixed time: on a busy
    // machine 300 ms could pass before `src` and `typed` were made, and the next preview would
    // then make them rather than keep them.
    const whenRunning = setInterval(() => {
      if (session.last.made.includes('total')) {
        clearInterval(whenRunning);
        setTimeout(() => controller.abort(), 100);
      }
    }, 5);
    const t0 = performance.now();
    const err = await previewNode(engine, { pipeline: slow, file, nodeId: 'total', signal: controller.signal }, session)
      .catch((e: unknown) => e)
      .finally(() => clearInterval(whenRunning));
    expect(err).toBeInstanceOf(WeirError);
    expect((err as WeirError).kind).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(await rows(session, file, doc, 'total')).toEqual([[60]]);
    expect(session.last.kept).toEqual(['src', 'typed']);
  });

  it('closes: its catalog is detached and its scratch folder removed; later requests are refused', async () => {
    const { dir, file, doc, session } = setup();
    const before = new Set(existsSync(scratchRoot()) ? readdirSync(scratchRoot()) : []);
    let catalog = '';
    await session.withNode({ pipeline: doc, file, nodeId: 'src' }, async (conn) => {
      catalog = String((await conn.runAndReadAll('SELECT current_database()')).getRows()[0]![0]);
    });
    // This process's (other processes may be previewing too).
    const mine = readdirSync(scratchRoot()).filter((d) => !before.has(d) && d.startsWith(`preview-${processTag()}-`));
    expect(mine).toHaveLength(1);
    // Another connection of the same locked instance sees the session's catalog until it closes.
    const conn = await (await engine.duckdb(allowedDirectories(findWorkspace(dir), engine.settings, engine.env))).connect();
    const databases = async () => (await conn.runAndReadAll('SELECT database_name FROM duckdb_databases()')).getRows().map((r) => String(r[0]));
    expect(await databases()).toContain(catalog);
    await session.close();
    expect(await databases()).not.toContain(catalog);
    conn.closeSync();
    expect(existsSync(join(scratchRoot(), mine[0]!))).toBe(false);
    await expect(previewNode(engine, { pipeline: doc, file, nodeId: 'total' }, session)).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe('hashing in previews', () => {
  it('a preview of views over a file source never hashes its files; a table downstream does', async () => {
    const { file, doc, session } = setup();
    const before = bytesHashed();
    expect(await rows(session, file, doc, 'total')).toEqual([[60]]);
    expect(await rows(session, file, doc, 'typed')).toHaveLength(2);
    // Views all the way: nothing to look up in the cache, so no key, so no hash.
    expect(bytesHashed()).toBe(before);
    // `typed` read by two nodes is a table, which the cache may hold: its key needs the file's hash.
    const fanned = edit(doc, (p) => {
      p.nodes.push({ id: 'also', name: 'also', kind: 'sql', inputs: ['typed'], config: { sql: ['select max(v2) as m from typed'] } });
    });
    expect(await rows(session, file, fanned, 'total')).toEqual([[60]]);
    expect(bytesHashed()).toBe(before + 'id,v\n1,10\n2,20\n'.length);
  });
});
