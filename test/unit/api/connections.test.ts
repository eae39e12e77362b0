import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatWorkspaceFile, saveConnection } from '../../../src-main/api/connections';
import { MemorySecretStore } from '../../../src-main/api/secrets';
import { loadWorkspaceFile } from '../../../src-main/engine/workspace/workspace';
import { makeService, makeWorkspace, samplePipeline } from './fixture';

let ws: Awaited<ReturnType<typeof makeWorkspace>>;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const wsFile = () => join(ws.root, 'weir.workspace.json');

describe('the connections API', () => {
  it('writes weir.workspace.json one line per connection, as the templates are written', async () => {
    const file = join(repo, 'templates', 'cgt-batch-release', 'weir.workspace.json');
    const text = await readFile(file, 'utf8');
    expect(formatWorkspaceFile(JSON.parse(text))).toBe(text);
  });

  it('creates, renames and deletes connections, keeping the file loadable and in schema order', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    let info = await call('connections.list', { root: ws.root });
    expect(info.environments.map((e: { name: string }) => e.name)).toEqual(['dev', 'prod']);
    expect(info.hasFile).toBe(true);

    await mkdir(join(ws.root, 'data'));
    info = await call('connections.save', { root: ws.root, environment: 'dev', name: 'lake', spec: { path: 'data', kind: 'folder' } });
    info = await call('connections.save', {
      root: ws.root,
      environment: 'prod',
      name: 'mart',
      spec: { kind: 'postgres', host: 'db.lab', port: 5432, user: '', password: '${env:MART_PASSWORD}', sslmode: 'require' },
    });
    const text = await readFile(wsFile(), 'utf8');
    expect(text).toContain('"lake": { "kind": "folder", "path": "data" }');
    // Empty fields are left out (a run then falls back to PG* variables); the schema's order.
    expect(text).toContain('"mart": { "kind": "postgres", "host": "db.lab", "port": 5432, "password": "${env:MART_PASSWORD}", "sslmode": "require" }');
    expect(loadWorkspaceFile(wsFile()).file.environments.prod?.connections.mart).toMatchObject({ kind: 'postgres', host: 'db.lab' });
    const mart = info.environments[1].connections[0];
    expect(mart.refs).toEqual([{ name: 'MART_PASSWORD', source: null }]);

    // A rename keeps the connection's place; a clash is refused.
    await call('connections.save', { root: ws.root, environment: 'dev', name: 'other', spec: { kind: 'folder', path: 'x' } });
    info = await call('connections.save', { root: ws.root, environment: 'dev', name: 'lake2', previousName: 'lake', spec: { kind: 'folder', path: 'data' } });
    expect(info.environments[0].connections.map((c: { name: string }) => c.name)).toEqual(['lake2', 'other']);
    await expect(call('connections.save', { root: ws.root, environment: 'dev', name: 'other', previousName: 'lake2', spec: { kind: 'folder', path: 'data' } })).rejects.toThrow(
      'environment "dev" already has a connection "other"',
    );

    info = await call('connections.delete', { root: ws.root, environment: 'dev', name: 'other' });
    expect(info.environments[0].connections.map((c: { name: string }) => c.name)).toEqual(['lake2']);
    // A new environment is created by saving into it.
    info = await call('connections.save', { root: ws.root, environment: 'qa', name: 'lake', spec: { kind: 'folder', path: 'data' } });
    expect(info.environments.map((e: { name: string }) => e.name)).toEqual(['dev', 'prod', 'qa']);
    expect((await call('workspace.open', { root: ws.root })).environments).toEqual(['dev', 'prod', 'qa']);
  });

  it('refuses secrets in clear and invalid connections, and reports where a referenced secret is set', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    await expect(call('connections.save', { root: ws.root, environment: 'prod', name: 'mart', spec: { kind: 'postgres', password: 'hunter2' } })).rejects.toThrow(
      'connection "mart": password must be a ${env:NAME} reference',
    );
    await expect(
      call('connections.save', { root: ws.root, environment: 'prod', name: 'api', spec: { kind: 'http', base_url: 'https://x.example', headers: { Authorization: 'Bearer abc' } } }),
    ).rejects.toThrow('header "Authorization" carries a credential');
    await expect(call('connections.save', { root: ws.root, environment: 'prod', name: 'lake', spec: { kind: 's3' } })).rejects.toThrow(/connection "lake": bucket/);
    expect(await readFile(wsFile(), 'utf8')).not.toContain('hunter2');

    await call('secrets.set', { name: 'LAKE_SECRET', value: 'shh-value' });
    process.env.WEIR_TEST_LAKE_KEY = 'from-env';
    try {
      const info = await call('connections.save', {
        root: ws.root,
        environment: 'prod',
        name: 'lake',
        spec: { kind: 's3', bucket: 'b', access_key_id: '${env:WEIR_TEST_LAKE_KEY}', secret_access_key: '${env:LAKE_SECRET}', session_token: '${env:NOT_SET_ANYWHERE}' },
      });
      expect(info.environments[1].connections[0].refs).toEqual([
        { name: 'LAKE_SECRET', source: 'keychain' },
        { name: 'NOT_SET_ANYWHERE', source: null },
        { name: 'WEIR_TEST_LAKE_KEY', source: 'environment' },
      ]);
      expect(JSON.stringify(info)).not.toContain('shh-value');
    } finally {
      delete process.env.WEIR_TEST_LAKE_KEY;
    }
  });

  it('refuses a change that would make the file invalid, leaving the file on disk as it was', async () => {
    const before = await readFile(wsFile());
    // The spec itself is valid; the names are not identifiers, which only the workspace schema
    // checks here (the API's input schema refuses them earlier, so the function is called directly).
    const save = (environment: string, name: string) => saveConnection({ root: ws.root, environment, name, spec: { kind: 'folder', path: 'data' } }, new MemorySecretStore());
    await expect(save('dev', 'my lake')).rejects.toThrow(/weir\.workspace\.json at environments.*: Invalid key in record/);
    await expect(save('bad env', 'lake')).rejects.toThrow(/weir\.workspace\.json at environments.*: Invalid key in record/);
    expect((await readFile(wsFile())).equals(before)).toBe(true);
  });

  it('tests a saved connection or an unsaved one, and creates the workspace file on first save', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    await mkdir(join(ws.root, 'data'));
    expect(await call('connections.test', { root: ws.root, environment: 'dev', name: 'lake', spec: { kind: 'folder', path: 'data' } })).toMatchObject({ ok: true });
    expect(await call('connections.test', { root: ws.root, environment: 'dev', name: 'lake' })).toMatchObject({ ok: false, message: 'environment "dev" defines no connection "lake"' });
    await call('connections.save', { root: ws.root, environment: 'dev', name: 'lake', spec: { kind: 'folder', path: 'nope' } });
    const r = await call('connections.test', { root: ws.root, environment: 'dev', name: 'lake' });
    expect(r).toMatchObject({ ok: false, message: `connection "lake": folder ${join(ws.root, 'nope')} does not exist` });

    const bare = join(ws.root, '..', 'bare'); // outside the workspace: no weir.workspace.json above it
    await mkdir(bare);
    await call('workspace.open', { root: bare });
    const info = await call('connections.save', { root: bare, environment: 'dev', name: 'lake', spec: { kind: 'folder', path: '.' } });
    expect(info.hasFile).toBe(true);
    expect(loadWorkspaceFile(join(bare, 'weir.workspace.json')).file.default_environment).toBe('dev');
  });
});

describe('profiling a node through the API', () => {
  it('counts nulls and distinct values per column, with a histogram', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const p = samplePipeline();
    p.nodes[0]!.config = {
      columns: [{ name: 'lot', type: 'VARCHAR' }, { name: 'viability', type: 'DOUBLE' }],
      rows: [['B1', 91.5], ['B2', null], ['B2', 88], [null, 70]],
    };
    await writeFile(join(ws.root, 'pipelines', 'release.weir.json'), JSON.stringify(p));
    const r = await call('pipeline.profile', { root: ws.root, path: 'pipelines/release.weir.json', pipeline: p, nodeId: 'lots' });
    expect(r.rows).toBe(4);
    const [lot, viability] = r.columns;
    expect(lot).toMatchObject({ name: 'lot', type: 'VARCHAR', nulls: 1, distinct: 2, min: 'B1', max: 'B2' });
    expect(lot.histogram).toEqual([{ label: 'B2', count: 2 }, { label: 'B1', count: 1 }]);
    expect(viability).toMatchObject({ name: 'viability', nulls: 1, distinct: 3, min: '70.0', max: '91.5' });
    expect(viability.histogram.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(3);
  });
});
