import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { treeHashes } from '../../support/find-files';
import { copyTemplate, TEMPLATE_PIPELINE } from '../../support/templates';
import { tempDir } from '../../support/temp-dir';
import { startMcp, type McpSession } from './mcp-client';

const PIPELINE = TEMPLATE_PIPELINE['cgt-batch-release'];
const TOOLS = ['list_pipelines', 'read_pipeline', 'validate', 'plan', 'preview_node', 'lineage', 'describe_node_kinds', 'run', 'write_pipeline'];

/** A valid pipeline outside the workspace: nothing of it may come back through the door. */
const outsidePipeline = (): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name: 'outside_only',
  params: {},
  nodes: [{ id: 'hidden', name: 'hidden_rows', kind: 'seed', inputs: [], config: { columns: [{ name: 'code', type: 'VARCHAR' }], rows: [['TOP-SECRET-ROW']] } }],
  layout: {},
});

/** A small document given inline: a seed with a long text, a SQL node over it. */
const inlineDoc = (sql: string[]): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name: 'inline',
  params: {},
  nodes: [
    { id: 'seed', name: 'notes', kind: 'seed', inputs: [], config: { columns: [{ name: 'id', type: 'INTEGER' }, { name: 'note', type: 'VARCHAR' }], rows: [[1, 'n'.repeat(450)], [2, 'short']] } },
    { id: 'q', name: 'picked', kind: 'sql', inputs: ['seed'], config: { materialize: 'auto', sql } },
  ],
  layout: {},
});

/** The template's batches as the raw CSV holds them, parsed here without Weir. */
function rawBatches(root: string): string[][] {
  return readFileSync(join(root, 'data/raw/batches.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map((c) => c.trim()));
}

/** A workspace copy of the template with ways out planted in it, and the folder they lead to. */
function plantedWorkspace(): { root: string; outside: string } {
  const root = copyTemplate('cgt-batch-release', { prefix: 'weir-mcp-' });
  const outside = tempDir('weir-mcp-outside-');
  mkdirSync(join(outside, 'pipelines'));
  writeFileSync(join(outside, 'pipelines/outside.weir.json'), serializePipeline(outsidePipeline()));
  // Inside the workspace by name, outside on disk: a file link and a folder link.
  symlinkSync(join(outside, 'pipelines/outside.weir.json'), join(root, 'pipelines/escape.weir.json'));
  symlinkSync(join(outside, 'pipelines'), join(root, 'linked'));
  return { root, outside };
}

describe('weir mcp: read-only by default, over stdio with the SDK client', () => {
  let root: string;
  let outside: string;
  let mcp: McpSession;

  beforeAll(async () => {
    ({ root, outside } = plantedWorkspace());
    mcp = await startMcp(root);
  });
  afterAll(async () => {
    await mcp?.close();
  });

  it('lists its tools, each with a description, an input schema, and whether it only reads', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOLS);
    for (const t of tools) {
      expect(t.description!.length, t.name).toBeGreaterThan(40);
      expect(t.inputSchema.type, t.name).toBe('object');
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('preview_node')!.inputSchema.required).toEqual(['path', 'node']);
    const props = byName.get('preview_node')!.inputSchema.properties as Record<string, { description?: string; maximum?: number }>;
    expect(props.path!.description).toMatch(/relative to the workspace/);
    expect(props.limit!.maximum).toBe(100);
    expect(byName.get('preview_node')!.annotations?.readOnlyHint).toBe(true);
    expect(byName.get('run')!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.get('write_pipeline')!.annotations?.readOnlyHint).toBe(false);
    // The server says what it allows before any call.
    expect(mcp.client.getInstructions()).toMatch(/Read-only: write_pipeline is off.*run is off/);
    expect(mcp.stderr()).toContain(`weir mcp: serving ${root} over stdio (read-only, run off)`);
  });

  it("lists the workspace's pipelines and environments", async () => {
    const r = await mcp.call('list_pipelines');
    expect(r.isError).toBe(false);
    expect(r.json.workspace).toBe(root);
    expect(r.json.protectedEnvironments).toEqual(['prod']);
    const paths = r.json.pipelines.map((p: { path: string }) => p.path);
    expect(paths).toContain(PIPELINE);
    expect(r.json.pipelines.find((p: { path: string }) => p.path === PIPELINE)).toMatchObject({ name: 'batch_release', nodes: 17, error: null });
  });

  it('validates the template, and names the node and field of a broken inline document', async () => {
    const good = await mcp.call('validate', { path: PIPELINE });
    expect(good.json).toEqual({ valid: true, path: PIPELINE, issues: [] });
    // An input the SQL does not declare: the sandbox's refusal, as a run would give it.
    const bad = await mcp.call('validate', { pipeline: inlineDoc(['select * from raw_batches']) });
    expect(bad.json.valid).toBe(false);
    expect(JSON.stringify(bad.json.issues)).toMatch(/raw_batches/);
    const shape = await mcp.call('validate', { pipeline: { format: 'weir.pipeline', version: 1, name: 'x', nodes: [{ id: 'a', name: 'a', kind: 'no_such_kind', inputs: [], config: {} }] } });
    expect(shape.json.valid).toBe(false);
    expect(shape.json.issues.some((i: { path: string; message: string }) => i.path.startsWith('nodes[0]') && /no_such_kind/.test(i.message))).toBe(true);
    const neither = await mcp.call('validate', {});
    expect(neither).toMatchObject({ isError: true, text: 'give a pipeline file (path) or a document (pipeline) to validate' });
  });

  it('previews a node of the template: the batches the raw CSV holds, trimmed and typed by its SQL', async () => {
    const raw = rawBatches(root);
    const r = await mcp.call('preview_node', { path: PIPELINE, node: 'batches', limit: 100 });
    expect(r.isError).toBe(false);
    expect(r.json.columns).toEqual([
      { name: 'batch_id', type: 'VARCHAR' },
      { name: 'product', type: 'VARCHAR' },
      { name: 'donor_id', type: 'VARCHAR' },
      { name: 'site', type: 'VARCHAR' },
      { name: 'manufacture_start', type: 'DATE' },
      { name: 'manufacture_end', type: 'DATE' },
    ]);
    expect(r.json.totalRows).toBe(raw.length);
    expect(r.json.shownRows).toBe(raw.length);
    const rows = r.json.rows as string[][];
    expect(rows.map((x) => x[0]).sort()).toEqual(raw.map((x) => x[0]).sort());
    // The SQL upper-cases the site codes the MES wrote in lower case.
    const rawSite = new Map(raw.map((x) => [x[0], x[3]!]));
    for (const row of rows) expect(row[3]).toBe(rawSite.get(row[0]!)!.toUpperCase());
    // By id as well as by name, and 20 rows unless asked.
    const byId = await mcp.call('preview_node', { path: PIPELINE, node: 'clean_batches' });
    expect(byId.json).toMatchObject({ node: 'batches', shownRows: 20, totalRows: raw.length });
  });

  it('answers previews asked for at once, each with its own rows (one does not cancel another)', async () => {
    const [batches, specs, readings] = await Promise.all([
      mcp.call('preview_node', { path: PIPELINE, node: 'batches', limit: 3 }),
      mcp.call('preview_node', { path: PIPELINE, node: 'raw_specs', limit: 3 }),
      mcp.call('preview_node', { path: PIPELINE, node: 'readings', limit: 3 }),
    ]);
    expect([batches, specs, readings].map((r) => r.isError)).toEqual([false, false, false]);
    expect(batches.json.node).toBe('batches');
    expect(specs.json.totalRows).toBe(readFileSync(join(root, 'data/raw/specs.csv'), 'utf8').trim().split('\n').length - 1);
    expect(readings.json.columns.length).toBeGreaterThan(2);
  });

  it('caps the rows at 100 and cuts long cells', async () => {
    const over = await mcp.call('preview_node', { path: PIPELINE, node: 'assays', limit: 101 });
    expect(over.isError).toBe(true);
    expect(over.text).toMatch(/limit/);
    const assays = await mcp.call('preview_node', { path: PIPELINE, node: 'raw_assays', limit: 100 });
    expect(assays.json.shownRows).toBe(100);
    expect(assays.json.totalRows).toBe(readFileSync(join(root, 'data/raw/assays.csv'), 'utf8').trim().split('\n').length - 1);
    // An unsaved document previewed as if it were the file.
    const long = await mcp.call('preview_node', { path: PIPELINE, node: 'picked', pipeline: inlineDoc(['select id, note from notes order by id']) });
    expect(long.json.rows[0]).toEqual([1, `${'n'.repeat(200)}… (450 characters)`]);
    expect(long.json.rows[1]).toEqual([2, 'short']);
    expect(long.json.truncatedCells).toBe(1);
    const missing = await mcp.call('preview_node', { path: PIPELINE, node: 'nope' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/^no node named "nope" in batch_release \(its nodes: raw_batches, raw_assays/);
  });

  it('plans the template, whole or a selection', async () => {
    const all = await mcp.call('plan', { path: PIPELINE });
    expect(all.json.pipeline).toBe('batch_release');
    expect(all.json.steps).toHaveLength(17);
    const names = all.json.steps.map((s: { name: string }) => s.name);
    expect(names.indexOf('raw_batches')).toBeLessThan(names.indexOf('batches'));
    expect(names.indexOf('batch_release')).toBeLessThan(names.indexOf('out_batch_release'));
    const batches = all.json.steps.find((s: { name: string }) => s.name === 'batches');
    expect(batches.inputs).toEqual(['raw_batches']);
    expect(batches.statements.join('\n')).toContain('upper(trim(site)) as site');
    const some = await mcp.call('plan', { path: PIPELINE, select: 'batches' });
    expect(some.json.steps.map((s: { name: string; selected: boolean }) => [s.name, s.selected])).toEqual([
      ['raw_batches', false],
      ['batches', true],
    ]);
  });

  it("traces a column's lineage back to the source, and forward to what it feeds", async () => {
    const up = await mcp.call('lineage', { path: PIPELINE, node: 'batches', column: 'site' });
    expect(up.json.from).toEqual({ node: 'batches', column: 'site' });
    expect(up.json.hits).toContainEqual(expect.objectContaining({ node: 'raw_batches', column: 'site', via: 'direct' }));
    const down = await mcp.call('lineage', { path: PIPELINE, node: 'raw_batches', column: 'site', direction: 'downstream' });
    expect(down.json.hits).toContainEqual(expect.objectContaining({ node: 'release_summary', column: 'site', via: 'direct' }));
    const node = await mcp.call('lineage', { path: PIPELINE, node: 'batches' });
    expect(node.json.columns.map((c: { name: string }) => c.name)).toEqual(['batch_id', 'product', 'donor_id', 'site', 'manufacture_start', 'manufacture_end']);
    const none = await mcp.call('lineage', { path: PIPELINE, node: 'batches', column: 'nope' });
    expect(none.isError).toBe(true);
    expect(none.text).toMatch(/node "batches" has no column "nope"/);
  });

  it('describes the node kinds with the JSON Schema of their configs', async () => {
    const all = await mcp.call('describe_node_kinds');
    const kinds = all.json.kinds.map((k: { kind: string }) => k.kind);
    expect(kinds).toEqual(expect.arrayContaining(['sql', 'filter', 'file_source', 'file_sink', 'check', 'join']));
    const sql = all.json.kinds.find((k: { kind: string }) => k.kind === 'sql');
    expect(sql.configSchema.type).toBe('object');
    expect(Object.keys(sql.configSchema.properties)).toContain('sql');
    const one = await mcp.call('describe_node_kinds', { kind: 'seed' });
    expect(one.json.kinds).toHaveLength(1);
    const unknown = await mcp.call('describe_node_kinds', { kind: 'teleport' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/^no node kind "teleport" \(kinds: .*sql/);
  });

  it('refuses every path outside the workspace, in every form, and shows nothing from there', async () => {
    const before = treeHashes(outside);
    const outsideFile = join(outside, 'pipelines/outside.weir.json');
    const refusals: [string, RegExp][] = [
      ['../outside.weir.json', /^path "\.\.\/outside\.weir\.json": expected a path inside the workspace/],
      ['pipelines/../../outside.weir.json', /expected a path inside the workspace/],
      [outsideFile, /expected a path relative to the workspace/],
      // Absolute, even when it names a file inside the workspace: paths are the workspace's.
      [join(root, PIPELINE), /expected a path relative to the workspace/],
      ['pipelines\\..\\..\\outside.weir.json', /expected a path with forward slashes/],
      ['pipelines/escape.weir.json', /"pipelines\/escape\.weir\.json" leads outside the workspace .* \(through a symbolic link\)/],
      ['linked/outside.weir.json', /"linked\/outside\.weir\.json" leads outside the workspace .* \(through a symbolic link\)/],
    ];
    for (const [path, message] of refusals) {
      for (const [tool, args] of [
        ['read_pipeline', { path }],
        ['validate', { path }],
        ['plan', { path }],
        ['preview_node', { path, node: 'hidden_rows' }],
        ['lineage', { path, node: 'hidden_rows' }],
      ] as const) {
        const r = await mcp.call(tool, args);
        expect(r.isError, `${tool} ${path}`).toBe(true);
        expect(r.text, `${tool} ${path}`).toMatch(message);
        expect(r.text).not.toMatch(/outside_only|hidden_rows"?\s*:|TOP-SECRET-ROW/);
      }
    }
    // A document given inline is still planned and previewed as a file of this workspace.
    const inline = await mcp.call('preview_node', { path: '../outside.weir.json', node: 'picked', pipeline: inlineDoc(['select id from notes']) });
    expect(inline.isError).toBe(true);
    expect(treeHashes(outside)).toEqual(before);
  });

  it('refuses to run without --allow-run, even when confirmed; nothing runs', async () => {
    for (const confirm of [true, false, undefined]) {
      const r = await mcp.call('run', { path: PIPELINE, ...(confirm === undefined ? {} : { confirm }) });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^not run: weir mcp was started without --allow-run/);
    }
    expect(existsSync(join(root, 'data/curated'))).toBe(false);
    expect(existsSync(join(root, '.weir/runs'))).toBe(false);
  });

  it('refuses to write without --allow-write; nothing is written', async () => {
    const before = treeHashes(join(root, 'pipelines'));
    const r = await mcp.call('write_pipeline', { path: 'pipelines/new.weir.json', pipeline: inlineDoc(['select id from notes']) });
    expect(r).toMatchObject({ isError: true, text: expect.stringMatching(/^not written: weir mcp is read-only unless started with --allow-write/) });
    expect(existsSync(join(root, 'pipelines/new.weir.json'))).toBe(false);
    expect(treeHashes(join(root, 'pipelines'))).toEqual(before);
  });

  it('never shows a credential written into a pipeline, in a document, a plan or rows', async () => {
    const doc = inlineDoc(["select 'postgres://etl:hunter2@db.example:5432/marts' as dsn, 'https://api.example/v1?api_key=k3y-0f-mine' as feed"]);
    const preview = await mcp.call('preview_node', { path: PIPELINE, node: 'picked', pipeline: doc });
    expect(preview.isError).toBe(false);
    expect(preview.json.rows[0]).toEqual(['postgres://***@db.example:5432/marts', 'https://api.example/v1?api_key=***']);
    const plan = await mcp.call('plan', { path: PIPELINE, pipeline: doc });
    expect(plan.text).toContain('postgres://***@db.example');
    for (const text of [preview.text, plan.text]) expect(text).not.toMatch(/hunter2|k3y-0f-mine/);
  });
});

describe("weir mcp: the workspace's secrets are masked from the first answer", () => {
  it('masks the credential variables and every value a connection could resolve to, before any run has resolved them', async () => {
    const root = copyTemplate('cgt-batch-release', { prefix: 'weir-mcp-secrets-' });
    // The template's prod lake reads its bucket from ${env:WEIR_S3_BUCKET}.
    const env = { PGPASSWORD: 'pg-secret-4711', WEIR_S3_BUCKET: 'bucket-secret-31337' };
    const mcp = await startMcp(root, [], env);
    try {
      const doc = inlineDoc(["select 'pg-secret-4711' as pw, 's3://bucket-secret-31337/raw' as lake"]);
      const preview = await mcp.call('preview_node', { path: PIPELINE, node: 'picked', pipeline: doc });
      const plan = await mcp.call('plan', { path: PIPELINE, pipeline: doc });
      expect(preview.isError).toBe(false);
      expect(preview.json.rows).toHaveLength(1);
      for (const text of [preview.text, plan.text]) expect(text).not.toMatch(/pg-secret-4711|bucket-secret-31337/);
      expect(preview.json.rows[0]).toEqual(['***', 's3://***/raw']);
    } finally {
      await mcp.close();
    }
  });
});

describe('weir mcp --allow-write --allow-run', () => {
  let root: string;
  let outside: string;
  let mcp: McpSession;

  beforeAll(async () => {
    ({ root, outside } = plantedWorkspace());
    mcp = await startMcp(root, ['--allow-write', '--allow-run']);
  });
  afterAll(async () => {
    await mcp?.close();
  });

  it('writes a validated pipeline in canonical form, and replaces it only with the hash it was read at', async () => {
    const doc = inlineDoc(['select id from notes']);
    const path = 'pipelines/drafts/assistant.weir.json';
    const written = await mcp.call('write_pipeline', { path, pipeline: doc });
    expect(written.isError).toBe(false);
    expect(written.json).toMatchObject({ written: true, path, issues: [] });
    expect(readFileSync(join(root, path), 'utf8')).toBe(serializePipeline(doc));
    // It now exists: replacing it needs the hash read_pipeline gives.
    const changed = inlineDoc(['select id, note from notes']);
    const blind = await mcp.call('write_pipeline', { path, pipeline: changed });
    expect(blind.text).toMatch(/^not written: pipelines\/drafts\/assistant\.weir\.json exists; read it with read_pipeline/);
    const read = await mcp.call('read_pipeline', { path });
    expect(read.json.sha256).toBe(written.json.sha256);
    const stale = await mcp.call('write_pipeline', { path, pipeline: changed, expectSha256: '0'.repeat(64) });
    expect(stale.text).toMatch(/changed on disk since it was opened/);
    const replaced = await mcp.call('write_pipeline', { path, pipeline: changed, expectSha256: read.json.sha256 });
    expect(replaced.isError).toBe(false);
    expect(readFileSync(join(root, path), 'utf8')).toBe(serializePipeline(changed));
  });

  it('does not write a document with problems, nor outside the workspace, nor into hidden folders', async () => {
    const before = treeHashes(outside);
    const bad = await mcp.call('write_pipeline', { path: 'pipelines/bad.weir.json', pipeline: inlineDoc(['select * from raw_batches']) });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/^not written: the pipeline has \d+ problems?; fix/);
    expect(bad.text).toMatch(/\n- nodes\[1\]/);
    expect(existsSync(join(root, 'pipelines/bad.weir.json'))).toBe(false);
    const good = inlineDoc(['select id from notes']);
    for (const [path, message] of [
      ['../planted.weir.json', /expected a path inside the workspace/],
      [join(outside, 'pipelines/planted.weir.json'), /expected a path relative to the workspace/],
      ['linked/planted.weir.json', /leads outside the workspace .* \(through a symbolic link\)/],
      ['pipelines/escape.weir.json', /leads outside the workspace .* \(through a symbolic link\)/],
      ['.weir/planted.weir.json', /hidden folder/],
      ['.git/hooks/planted.weir.json', /hidden folder/],
      ['pipelines/notes.txt', /expected a \*\.weir\.json file/],
    ] as const) {
      const r = await mcp.call('write_pipeline', { path, pipeline: good });
      expect(r.isError, path).toBe(true);
      expect(r.text, path).toMatch(message);
    }
    expect(treeHashes(outside)).toEqual(before);
    expect(existsSync(join(root, '.weir/planted.weir.json'))).toBe(false);
    expect(existsSync(join(root, '.git'))).toBe(false);
  });

  it('runs only when confirmed, never against a protected environment, and answers when the run has finished', async () => {
    const unconfirmed = await mcp.call('run', { path: PIPELINE });
    expect(unconfirmed.text).toMatch(/^not run: a run publishes its sinks .* call run again with confirm: true/);
    const prod = await mcp.call('run', { path: PIPELINE, confirm: true, environment: 'prod' });
    expect(prod.text).toBe('not run: "prod" is a protected environment (weir.workspace.json); a run against it is started by a person, from the designer or with weir run');
    const escape = await mcp.call('run', { path: 'pipelines/escape.weir.json', confirm: true });
    expect(escape.text).toMatch(/leads outside the workspace/);
    expect(existsSync(join(root, 'data/curated'))).toBe(false);

    const progress: { progress: number; total?: number; message?: string }[] = [];
    const ran = await mcp.call('run', { path: PIPELINE, confirm: true, reason: 'asked for the weekly release' }, { onprogress: (p) => progress.push(p) });
    expect(ran.isError).toBe(false);
    expect(ran.json.status).toBe('succeeded');
    expect(ran.json.nodes).toHaveLength(17);
    expect(ran.json.nodes.every((n: { status: string }) => n.status === 'done')).toBe(true);
    // A client that asked for progress heard of every node as it finished.
    expect(progress.map((p) => p.progress)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(progress.every((p) => p.total === 17)).toBe(true);
    expect(progress.map((p) => p.message)).toContain('batch_release: finished');
    const sink = ran.json.nodes.find((n: { name: string }) => n.name === 'out_release_summary');
    expect(sink.published).toBeTruthy();
    // What it published: the template's four rejected batches (B0007, B0013, B0021, B0026).
    const summary = readFileSync(join(root, 'data/curated/release_summary.csv'), 'utf8').trim().split('\n');
    const header = summary[0]!.split(',');
    const rejected = summary.slice(1).reduce((n, line) => n + Number(line.split(',')[header.indexOf('rejected')]), 0);
    expect(rejected).toBe(4);
    // The run record says it came through the assistant's door, with the user's reason.
    expect(ran.json.record).toMatch(/^\.weir\/runs\/.+\.json$/);
    const record = JSON.parse(readFileSync(join(root, ran.json.record), 'utf8'));
    expect(record.runId).toBe(ran.json.runId);
    expect(record.reason).toBe('weir mcp: asked for the weekly release');
  });
});
