import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { tempDir } from '../../support/temp-dir';
import { makeService, makeWorkspace, samplePipeline } from './fixture';

/**
 * pipeline.validate with the open workspace and the pipeline's path: the designer's problems
 * list gets every refusal of the engine's preflight (the sandbox's SQL and path checks
 * included), found on the document as it is in the editor.
 */
let ws: Awaited<ReturnType<typeof makeWorkspace>>;
const FILE = 'pipelines/release.weir.json';

beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

/** The sample with node `passing`'s SQL replaced. */
function withSql(...sql: string[]): Pipeline {
  const p = samplePipeline();
  p.nodes[1] = { ...p.nodes[1]!, config: { materialize: 'auto', sql } };
  return p;
}

async function validate(pipeline: unknown, extra: Record<string, unknown> = {}) {
  const { call } = makeService(ws.home, { open: ws.root });
  return (await call('pipeline.validate', { pipeline, root: ws.root, path: FILE, ...extra })).issues as { path: string; message: string }[];
}

describe('pipeline.validate with the workspace: what a run would refuse', () => {
  it('finds nothing in a pipeline a run accepts', async () => {
    expect(await validate(samplePipeline())).toEqual([]);
  });

  it('refuses a COPY after the query (and does not run it)', async () => {
    const target = join(tempDir('weir-validate-copy-'), 'x.csv');
    const issues = await validate(withSql('select * from lots;', `COPY (select 1) TO '${target}'`));
    expect(issues).toEqual([{ path: 'nodes[1].config.sql', message: 'node "passing": holds 2 statements; it must be exactly one SELECT query' }]);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a statement that is not a query', async () => {
    const issues = await validate(withSql("COPY lots TO '/tmp/weir-never.csv'"));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('nodes[1].config.sql');
    expect(issues[0]!.message).toMatch(/^node "passing": is a COPY statement; only a SELECT query may run here$/);
  });

  it('refuses read_text in node SQL', async () => {
    const issues = await validate(withSql("select * from read_text('/etc/passwd')"));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('nodes[1].config.sql');
    expect(issues[0]!.message).toMatch(/^node "passing": .*read_text/);
  });

  it('refuses SQL naming a node that is not an input, and says which to add', async () => {
    const p = withSql('select * from passing_copy');
    p.nodes.push({ id: 'passing_copy', name: 'passing_copy', kind: 'sql', inputs: ['lots'], config: { materialize: 'auto', sql: ['select * from lots'] } });
    const issues = await validate(p);
    expect(issues).toEqual([
      { path: 'nodes[1].config.sql', message: 'node "passing": reads "passing_copy", which is not an input of this node (did you mean to add passing_copy as an input?)' },
    ]);
  });

  it('refuses a multi-statement filter condition (an SQL fragment field)', async () => {
    const p = samplePipeline();
    p.nodes.push({ id: 'keep', name: 'keep', kind: 'filter', inputs: ['lots'], config: { condition: "true; COPY (select 1) TO '/tmp/weir-never.csv'; select 1" } });
    const issues = await validate(p);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('nodes[3].config.condition');
    expect(issues[0]!.message).toMatch(/^node "keep": /);
  });

  it('refuses sink and source paths that leave the workspace, directly or through a symbolic link', async () => {
    const outside = tempDir('weir-validate-out-');
    await mkdir(join(ws.root, 'data'), { recursive: true });
    await symlink(outside, join(ws.root, 'data', 'elsewhere'));
    const p = samplePipeline();
    p.nodes[2] = { ...p.nodes[2]!, config: { path: 'data/elsewhere/passing.csv', format: 'csv' } };
    p.nodes.push({ id: 'linked', name: 'linked', kind: 'file_source', inputs: [], config: { path: 'data/elsewhere/in.csv', format: 'csv' } });
    p.nodes.push({ id: 'etc', name: 'etc', kind: 'file_source', inputs: [], config: { path: '/etc/passwd', format: 'csv' } });
    const issues = await validate(p);
    expect(issues.map((i) => i.path).sort()).toEqual(['nodes[2].config.path', 'nodes[3].config.path', 'nodes[4].config.path']);
    const at = (path: string) => issues.find((i) => i.path === path)!.message;
    expect(at('nodes[2].config.path')).toMatch(/^file_sink "out": "data\/elsewhere\/passing.csv" leads outside the workspace/);
    expect(at('nodes[3].config.path')).toMatch(/^file_source "linked": "data\/elsewhere\/in.csv" leads outside the workspace/);
    // An absolute path is refused by the node's own schema (the designer finds that one by itself).
    expect(at('nodes[4].config.path')).toMatch(/^expected a path relative to the workspace/);
  });

  it('refuses a sink writing over a pipeline file', async () => {
    const p = samplePipeline();
    p.nodes[2] = { ...p.nodes[2]!, config: { path: FILE, format: 'csv' } };
    const issues = await validate(p);
    expect(issues).toEqual([{ path: 'nodes[2].config.path', message: `file_sink "out": "${FILE}" is a pipeline or workspace file; a sink may not write over it` }]);
  });

  it('checks the document it is given, not the file on disk', async () => {
    const onDisk = await readFile(join(ws.root, FILE), 'utf8');
    expect(await validate(withSql('select 1; select 2'))).toHaveLength(1);
    expect(await readFile(join(ws.root, FILE), 'utf8')).toBe(onDisk);
    // And the other way round: a fixed document is clean whatever the file says.
    expect(await validate(samplePipeline())).toEqual([]);
  });

  it('checks the environment and parameter values a run would get', async () => {
    const p = samplePipeline();
    p.params = { min_viability: { type: 'number', default: 70 } };
    expect(await validate(p, { environment: 'prod', params: { min_viability: 80 } })).toEqual([]);
    const issues = await validate(p, { environment: 'staging', params: { min_viability: 'lots' } });
    expect(issues.map((i) => i.path)).toEqual(['', '']);
    expect(issues[0]!.message).toMatch(/no environment "staging"/);
    expect(issues[1]!.message).toMatch(/min_viability/);
  });

  it('lists schema problems and the engine problems of the other nodes, each once', async () => {
    const p = withSql('select 1; select 2');
    p.nodes[2]!.inputs = [];
    const issues = await validate(p);
    expect(issues).toEqual([
      { path: 'nodes[2].inputs', message: 'a file_sink node takes 1 input, got 0' },
      { path: 'nodes[1].config.sql', message: 'node "passing": holds 2 statements; it must be exactly one SELECT query' },
    ]);
  });

  it('without the workspace, only the document itself is checked (as before)', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    expect((await call('pipeline.validate', { pipeline: withSql('select 1; select 2') })).issues).toEqual([]);
    const shape = await call('pipeline.validate', { pipeline: { format: 'weir.pipeline', version: 1 }, root: ws.root, path: FILE });
    expect(shape.issues.length).toBeGreaterThan(0);
    expect(shape.issues.every((i: { message: string }) => !/node "/.test(i.message))).toBe(true);
  });

  it('answers in well under a second for a pipeline of 40 SQL nodes (the designer asks after each pause in typing)', async () => {
    const p = samplePipeline();
    for (let i = 0; i < 40; i++) {
      p.nodes.push({ id: `n${i}`, name: `n${i}`, kind: 'sql', inputs: ['lots'], config: { materialize: 'auto', sql: ['select lot, viability * 2 as v', 'from lots', `where viability > ${i}`] } });
    }
    await validate(p); // the first call opens DuckDB
    const t0 = performance.now();
    expect(await validate(p)).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
