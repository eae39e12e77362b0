import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runWeir } from '../../support/cli';
import { treeHashes } from '../../support/find-files';
import { tempDir } from '../../support/temp-dir';

/**
 * The hostile corpus (issue "Safe to run what you pull from git"): pipeline files that try to
 * run statements other than one SELECT, read or write outside the workspace, follow symlinks
 * out of it, read files from node SQL, write into .weir/.git/pipelines/source folders or over
 * folders of other files. Each is run with `weir run` (and `weir validate`) on the committed
 * CLI against a workspace beside a canary folder, and must end in one error line with exit 1
 * or 2, within 30 s, with the canary untouched, no file written outside the workspace, no
 * workspace file lost and the audit chain intact.
 */

const root = tempDir('weir-hostile-');
const ws = join(root, 'ws');
const canary = join(root, 'canary');
/** Where hostile SQL tries to write: must never appear. */
const escaped = join(root, 'escaped');

type Node = { id: string; name: string; kind: string; inputs?: string[]; config: Record<string, unknown> };

const seed: Node = { id: 's1', name: 's1', kind: 'seed', config: { columns: [{ name: 'a', type: 'INTEGER' }], rows: [[1], [2]] } };
const raw: Node = { id: 'raw', name: 'raw', kind: 'file_source', config: { path: 'data/raw/*.csv', format: 'csv' } };

function pipeline(name: string, nodes: Node[]): string {
  const doc = {
    format: 'weir.pipeline',
    version: 1,
    name,
    nodes: nodes.map((n) => ({ inputs: [], ...n })),
  };
  const file = join(ws, 'pipelines', `${name}.weir.json`);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

const sql = (id: string, lines: string[], inputs = ['s1']): Node => ({ id, name: id, kind: 'sql', inputs, config: { sql: lines } });
const sink = (path: string, extra: Record<string, unknown> = {}, input = 's1'): Node => ({
  id: 'out',
  name: 'out',
  kind: 'file_sink',
  inputs: [input],
  config: { path, format: 'parquet', ...extra },
});
const check = (rule: Record<string, unknown>): Node => ({ id: 'chk', name: 'chk', kind: 'check', inputs: ['s1'], config: { rules: [{ severity: 'error', ...rule }] } });

const copyOut = `COPY (SELECT 1) TO '${escaped}/x.csv'`;

/** name → nodes. Every case must be refused. */
const CASES: Record<string, Node[]> = {
  // One SELECT only, decided by DuckDB's parser, in every SQL-bearing field.
  sql_two_statements: [seed, sql('q', ['select * from s1;', copyOut])],
  sql_copy: [seed, sql('q', [copyOut])],
  sql_attach: [seed, sql('q', [`ATTACH '${escaped}/db.duckdb' AS x`])],
  sql_export: [seed, sql('q', [`EXPORT DATABASE '${escaped}'`])],
  sql_install: [seed, sql('q', ['INSTALL httpfs'])],
  sql_load: [seed, sql('q', ['LOAD httpfs'])],
  sql_pragma: [seed, sql('q', ['PRAGMA database_list'])],
  sql_set: [seed, sql('q', ["SET allowed_directories = ['/']"])],
  sql_set_variable: [seed, sql('q', ['SET VARIABLE p = 0'])],
  sql_create: [seed, sql('q', ['CREATE TABLE t AS SELECT 1'])],
  sql_call: [seed, sql('q', ['CALL pragma_version()'])],
  sql_comment_then_copy: [seed, sql('q', ['select * from s1 -- ;', `; ${copyOut}`])],
  filter_breakout: [seed, { id: 'f', name: 'f', kind: 'filter', inputs: ['s1'], config: { condition: `true; ${copyOut}; select 1`, mode: 'keep' } }],
  filter_union_read: [
    seed,
    { id: 'f', name: 'f', kind: 'filter', inputs: ['s1'], config: { condition: `true) UNION ALL SELECT * FROM read_text('${canary}/secret.txt') WHERE (true`, mode: 'keep' } },
  ],
  aggregate_breakout: [
    seed,
    { id: 'g', name: 'g', kind: 'aggregate', inputs: ['s1'], config: { group_by: [], aggregates: [{ fn: 'expression', expression: `count(*)) FROM s1; ${copyOut}; SELECT (1`, as: 'n' }] } },
  ],
  join_breakout: [
    seed,
    { ...seed, id: 's2', name: 's2' },
    { id: 'j', name: 'j', kind: 'join', inputs: ['s1', 's2'], config: { type: 'inner', on: [{ left: 'a', right: 'a' }], condition: `true; ${copyOut}; select 1` } },
  ],
  check_where_breakout: [seed, check({ type: 'not_null', column: 'a', where: `true)); ${copyOut}; select ((1` })],
  check_expression_read: [seed, check({ type: 'expression', expression: `(select count(*) from read_text('${canary}/secret.txt')) > 0` })],
  check_query_copy: [seed, check({ type: 'query', sql: [copyOut] })],
  // Files enter through sources only; node SQL reads only its declared inputs.
  sql_read_text: [seed, sql('q', [`select * from read_text('${canary}/secret.txt')`])],
  sql_read_blob: [seed, sql('q', [`select * from read_blob('${canary}/**')`])],
  sql_glob: [seed, sql('q', ["select * from glob('/etc/*')"])],
  sql_read_csv_in_workspace: [seed, sql('q', ["select * from read_csv_auto('data/raw/x.csv')"])],
  sql_file_as_table: [seed, sql('q', [`select * from '${canary}/secret.txt'`])],
  sql_query_table: [seed, sql('q', ["select * from query_table('s1')"])],
  sql_settings: [seed, sql('q', ['select * from duckdb_settings()'])],
  sql_current_setting: [seed, sql('q', ["select current_setting('allowed_directories') as d"])],
  sql_qualified: [seed, sql('q', ['select * from memory.main.s1'])],
  sql_undeclared_node: [seed, raw, sql('q', ['select * from raw'])],
  // Paths stay inside the workspace, symlinks followed, away from .weir/.git.
  source_absolute: [{ ...raw, config: { path: '/etc/passwd', format: 'csv' } }],
  source_file_url: [{ ...raw, config: { path: 'file:///etc/passwd', format: 'csv' } }],
  source_home: [{ ...raw, config: { path: '~/.ssh/id_rsa', format: 'csv' } }],
  source_dotdot: [{ ...raw, config: { path: '../canary/secret.txt', format: 'csv' } }],
  source_symlink_file: [{ ...raw, config: { path: 'data/link-to-secret.csv', format: 'csv' } }],
  source_symlink_dir: [{ ...raw, config: { path: 'data/link-to-canary/*.txt', format: 'csv' } }],
  source_weir_folder: [{ ...raw, config: { path: '.weir/audit/log.jsonl', format: 'json' } }],
  source_git_folder: [{ ...raw, config: { path: '.git/config', format: 'csv' } }],
  lake_source_symlink_out: [{ id: 'l', name: 'l', kind: 'lake_source', config: { connection: 'lake', prefix: 'link/', glob: '*.txt', format: 'csv' } }],
  lake_sink_symlink_out: [seed, { id: 'ls', name: 'ls', kind: 'lake_sink', inputs: ['s1'], config: { connection: 'lake', path: 'link/out', format: 'parquet' } }],
  // A pipeline may not take the server's environment variables to a host of its choosing.
  http_env_header_anywhere: [{ id: 'h', name: 'h', kind: 'http_source', config: { url: 'http://127.0.0.1:9/x', headers: { 'x-k': '${env:HOME}' } } }],
  http_env_in_url_anywhere: [{ id: 'h', name: 'h', kind: 'http_source', config: { url: 'http://127.0.0.1:9/${env:HOME}' } }],
  sink_absolute: [seed, sink(`${escaped}/out.parquet`)],
  sink_dotdot: [seed, sink('../escaped/out.parquet')],
  sink_symlink_dir: [seed, sink('data/link-to-canary/out.parquet')],
  sink_workspace_root: [seed, sink('.', { partition_by: ['a'] })],
  sink_data_folder: [seed, sink('data', { partition_by: ['a'] })],
  sink_source_folder: [seed, raw, sink('data/raw/out.parquet')],
  sink_other_files_folder: [seed, sink('docs', { partition_by: ['a'] })],
  sink_audit_log: [seed, sink('.weir/audit/log.jsonl', { format: 'csv' })],
  sink_git_config: [seed, sink('.git/config', { format: 'csv' })],
  sink_pipeline_file: [seed, sink('pipelines/victim.weir.json', { format: 'csv' })],
  sink_workspace_file: [seed, sink('weir.workspace.json', { format: 'csv' })],
};

/** Every file of the workspace that a hostile run must not change (its own pipeline file aside). */
function protectedHashes(): Record<string, string> {
  // .weir/ gains the records of runs that failed (the audit chain is verified instead); it is
  // skipped before reading, since concurrent runs create and remove its lock file meanwhile.
  // The audit trail's git anchor (docs/gxp.md) records each of those entries as a commit on
  // refs/weir/audit: that ref and the objects it adds; the branch, index, config and hooks stay checked.
  const anchor = (k: string) => k.startsWith('.git/objects/') || k.startsWith('.git/refs/weir/') || k.startsWith('.git/logs/refs/weir/');
  return treeHashes(ws, (k) => k.startsWith('pipelines/hostile_') || k.startsWith('data/curated/') || k.startsWith('.weir/') || anchor(k));
}

let before: Record<string, string>;
let canaryBefore: Record<string, string>;

beforeAll(async () => {
  mkdirSync(join(ws, 'data', 'raw'), { recursive: true });
  mkdirSync(join(ws, 'pipelines'), { recursive: true });
  mkdirSync(join(ws, 'docs'), { recursive: true });
  mkdirSync(canary, { recursive: true });
  writeFileSync(join(canary, 'secret.txt'), 'canary secret\n');
  writeFileSync(join(ws, 'data', 'raw', 'x.csv'), 'a,b\n1,2\n');
  writeFileSync(join(ws, 'docs', 'notes.md'), '# keep me\n');
  const lake = { kind: 'folder', path: 'lake' };
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: { lake } } } }));
  mkdirSync(join(ws, 'lake', 'raw'), { recursive: true });
  writeFileSync(join(ws, 'lake', 'raw', 'x.csv'), 'a\n1\n');
  symlinkSync(canary, join(ws, 'lake', 'link'));
  symlinkSync(join(canary, 'secret.txt'), join(ws, 'data', 'link-to-secret.csv'));
  symlinkSync(canary, join(ws, 'data', 'link-to-canary'));
  execFileSync('git', ['init', '-q', ws]);
  // A good run first, so that there is an audit chain to keep intact and a victim pipeline.
  const victim = pipeline('victim', [raw, sink('data/curated/good.parquet', {}, 'raw')]);
  const first = await runWeir(['run', victim]);
  expect(first.code, first.stderr).toBe(0);
  before = protectedHashes();
  canaryBefore = treeHashes(canary);
}, 60_000);

// Each case is its own CLI process: run them a few at a time (they touch only their own file).
describe.concurrent('a hostile pipeline file', () => {
  for (const [name, nodes] of Object.entries(CASES)) {
    it(`is refused: ${name}`, async () => {
      const file = pipeline(`hostile_${name}`, nodes);
      const t0 = Date.now();
      const run = await runWeir(['run', file]);
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect([1, 2], `${name}: exit ${run.code}\n${run.stderr}\n${run.stdout}`).toContain(run.code);
      // Refused before running (an invalid file), not failed while trying.
      if (/^(sql|filter|aggregate|join|check|http)_/.test(name)) expect(run.code, run.stderr).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines, run.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^weir: /);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace

      expect(existsSync(escaped), `${name} wrote ${escaped}`).toBe(false);
      expect(treeHashes(canary)).toEqual(canaryBefore);
      expect(protectedHashes()).toEqual(before);
      expect(run.stdout + run.stderr).not.toContain('canary secret');
    });
  }
});

describe('after the hostile corpus', () => {
  // 25 CLI processes: a few minutes' room on a loaded machine (each run's own bound is above).
  it('is refused by weir validate too, before any data is touched, for every SQL case (exit 2)', { timeout: 300_000 }, async () => {
    const sqlCases = Object.keys(CASES).filter((n) => /^(sql|filter|aggregate|join|check)_/.test(n));
    // Three at a time, as the runs above go a few at a time (one after another took longer than
    // a minute on a loaded 2-core machine; three at a time did too at a load of 12).
    const queue = [...sqlCases];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const v = await runWeir(['validate', join(ws, 'pipelines', `hostile_${name}.weir.json`)]);
        expect(v.code, `${name}: ${v.stdout}${v.stderr}`).toBe(2);
        expect(v.stderr.trim().split('\n')).toHaveLength(1);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    expect(queue).toEqual([]);
  });

  it('leaves the audit chain intact and every record explained', async () => {
    const v = await runWeir(['audit', 'verify', '--workspace', ws]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toMatch(/audit log intact/);
    // Nothing outside the workspace, and no new entry in the canary folder.
    expect(readdirSync(root).sort()).toEqual(['canary', 'ws']);
  });
});
