import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { methodNames, methods, type MethodName } from '../../../shared/api/contract';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { WORKSPACE_CHOOSERS } from '../../../src-main/api/service';
import { treeHashes } from '../../support/find-files';
import { tempDir } from '../../support/temp-dir';
import { makeService, samplePipeline } from './fixture';

/** The fields by which a method names something on disk; OpenWorkspaces.check reads exactly these. */
const PATH_FIELDS = ['root', 'path', 'files'];
const namesAPath = (m: MethodName) => Object.keys((methods[m].input as z.ZodObject).shape).some((k) => PATH_FIELDS.includes(k));

const FILE = 'pipelines/release.weir.json';
const ESCAPE = 'pipelines/escape.weir.json';

/**
 * A valid input of every method that names a root or a path, for a given root and pipeline
 * path. A method added to the contract with a root or a path fails the coverage test below
 * until it is added here (and so checked against a folder outside the workspace).
 */
function inputFor(m: MethodName, root: string, path: string): unknown {
  const pipeline = samplePipeline();
  const table: Partial<Record<MethodName, unknown>> = {
    'pipeline.read': { root, path },
    'pipeline.save': { root, path, pipeline },
    'pipeline.create': { root, name: 'fresh' },
    'pipeline.validate': { root, path, pipeline },
    'pipeline.describeInputs': { root, path, pipeline, nodeId: 'passing' },
    'pipeline.run': { root, path },
    'pipeline.partitions': { root, path },
    'pipeline.plan': { root, path },
    'pipeline.preview': { root, path, pipeline, nodeId: 'passing' },
    'pipeline.profile': { root, path, pipeline, nodeId: 'passing' },
    'pipeline.chart': { root, path, pipeline, nodeId: 'passing', chart: { mark: 'histogram', x: 'x' } },
    'pipeline.lineage': { root, path, pipeline },
    'pipeline.explain': { root, path, pipeline, nodeId: 'passing', row: {} },
    'pipeline.review': { root, path, reviewId: 'r1' },
    'runs.list': { root },
    'runs.get': { root, runId: 'r1' },
    'release.status': { root },
    'sign.subject': { root, runId: 'r1' },
    'sign.run': { root, runId: 'r1', meaning: 'approved', passphrase: 'never used here' },
    'drafts.save': { root, path, text: '{"draft":true}', baseSha256: null },
    'drafts.get': { root, path },
    'drafts.discard': { root, path },
    'connections.list': { root },
    'connections.save': { root, environment: 'dev', name: 'lake', spec: { kind: 'folder', path: '.' } },
    'connections.delete': { root, environment: 'dev', name: 'lake' },
    'connections.test': { root, environment: 'dev', name: 'lake', spec: { kind: 'folder', path: '.' } },
    'git.status': { root },
    'git.commit': { root, files: [path], message: 'change' },
    'git.history': { root, path },
    'git.diff': { root, path },
    'git.restore': { root, path, revision: 'HEAD', confirm: true },
  };
  return table[m];
}

const WORKSPACE_FILE_JSON = JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } });

let base: string;
let ws: string;
let outside: string;
let home: string;

async function writeWorkspace(dir: string): Promise<void> {
  await mkdir(join(dir, 'pipelines'), { recursive: true });
  await writeFile(join(dir, 'weir.workspace.json'), WORKSPACE_FILE_JSON);
  await writeFile(join(dir, FILE), serializePipeline(samplePipeline()));
}

/** A repository with one commit: the git methods would really commit and restore there. */
function gitInit(dir: string): void {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
}

beforeAll(async () => {
  base = tempDir('weir-open-ws-');
  ws = join(base, 'ws');
  outside = join(base, 'outside');
  home = join(base, 'home');
  await writeWorkspace(ws);
  await writeWorkspace(outside);
  gitInit(ws);
  gitInit(outside);
  // A change in the other workspace that git.restore would throw away, and git.commit would commit.
  await writeFile(join(outside, FILE), serializePipeline({ ...samplePipeline(), name: 'changed' }));
  // Inside the workspace by name, outside it on disk: a link to the other workspace's pipeline.
  await symlink(join(outside, FILE), join(ws, ESCAPE));
});


const guardMessage = /is not the open workspace|leads outside the workspace|no workspace is open/;

describe('one open workspace: every method that names a root or a path', () => {
  const covered = methodNames.filter((m) => namesAPath(m) && !WORKSPACE_CHOOSERS.has(m));

  it('has an input in the table for every contract method with a root, path or files (a new one must be added)', () => {
    expect(covered.length).toBeGreaterThan(15);
    for (const m of covered) expect(inputFor(m, ws, FILE), `${m}: add an input to inputFor`).toBeDefined();
    // The choosers are the only exceptions, and each is tested on its own below.
    expect([...WORKSPACE_CHOOSERS].filter(namesAPath).sort()).toEqual(['fs.listFolders', 'workspace.open']);
  });

  it.each(methodNames.filter((m) => namesAPath(m) && !WORKSPACE_CHOOSERS.has(m)))('%s refuses a root that is not the open workspace', async (m) => {
    const before = treeHashes(outside);
    const { dispatch } = makeService(home, { open: ws });
    const r = await dispatch(m, inputFor(m, outside, FILE));
    expect(r).toEqual({ ok: false, error: { kind: 'usage', message: `${outside} is not the open workspace (${ws}); the designer works in one workspace at a time` } });
    expect(treeHashes(outside)).toEqual(before);
  });

  it.each(methodNames.filter((m) => namesAPath(m) && !WORKSPACE_CHOOSERS.has(m)))('%s refuses everything before a workspace is open', async (m) => {
    const { dispatch } = makeService(home);
    const r = await dispatch(m, inputFor(m, ws, FILE));
    expect(r).toMatchObject({ ok: false, error: { kind: 'usage', message: `no workspace is open: open ${ws} first` } });
  });

  const withPath = methodNames.filter((m) => !WORKSPACE_CHOOSERS.has(m) && ['path', 'files'].some((k) => k in (methods[m].input as z.ZodObject).shape));
  it.each(withPath)('%s refuses a path that a symbolic link takes out of the workspace', async (m) => {
    const before = treeHashes(outside);
    const { dispatch } = makeService(home, { open: ws });
    const r = await dispatch(m, inputFor(m, ws, ESCAPE));
    expect(r).toEqual({ ok: false, error: { kind: 'usage', message: `"${ESCAPE}" leads outside the workspace ${ws} (through a symbolic link)` } });
    expect(treeHashes(outside)).toEqual(before);
  });

  it.each(methodNames.filter((m) => namesAPath(m) && !WORKSPACE_CHOOSERS.has(m)))('%s is not refused in the open workspace', async (m) => {
    const { dispatch } = makeService(home, { open: ws });
    const r = await dispatch(m, inputFor(m, ws, FILE));
    // Some fail for their own reasons here (no git repository, no such run): never for the workspace rule.
    if (!r.ok) expect(r.error.message).not.toMatch(guardMessage);
  });

  it('pipeline.create refuses a pipelines folder that is a link out of the workspace', async () => {
    const linked = join(base, 'linked');
    await mkdir(linked);
    await symlink(join(outside, 'pipelines'), join(linked, 'pipelines'));
    const before = treeHashes(outside);
    const { call } = makeService(home, { open: linked });
    await expect(call('pipeline.create', { root: linked, name: 'fresh' })).rejects.toThrow(`"pipelines/fresh.weir.json" leads outside the workspace ${linked} (through a symbolic link)`);
    expect(treeHashes(outside)).toEqual(before);
  });

  it('accepts the open workspace named through a symbolic link to it', async () => {
    const link = join(base, 'ws-link');
    await symlink(ws, link);
    const { call } = makeService(home, { open: ws });
    expect((await call('pipeline.read', { root: link, path: FILE })).pipeline.name).toBe('release');
  });
});

describe('choosing the workspace', () => {
  it('switches the open workspace: the one before is closed', async () => {
    const { call } = makeService(home, { open: ws });
    await call('workspace.open', { root: outside });
    await expect(call('pipeline.read', { root: ws, path: FILE })).rejects.toThrow(`${ws} is not the open workspace (${outside})`);
    expect((await call('pipeline.read', { root: outside, path: FILE })).pipeline.name).toBe('changed');
  });

  it('never opens the file system root, the home folder or a folder above it, nor a system folder', async () => {
    const userHome = join(base, 'users', 'ana');
    await mkdir(userHome, { recursive: true });
    const { call } = makeService(home, { userHome });
    await expect(call('workspace.open', { root: '/' })).rejects.toThrow('/ cannot be a workspace: it is the root of the file system');
    for (const root of [userHome, join(base, 'users'), base]) {
      await expect(call('workspace.open', { root }), root).rejects.toThrow(`${root} cannot be a workspace: it holds your home folder; choose a project folder inside it`);
    }
    await expect(call('workspace.open', { root: '/proc/self' })).rejects.toThrow('/proc/self cannot be a workspace: it is a system folder');
    // A project folder inside the home folder is what a workspace usually is.
    await writeWorkspace(join(userHome, 'project'));
    expect((await call('workspace.open', { root: join(userHome, 'project') })).root).toBe(join(userHome, 'project'));
  });

  it('a pinned server (weir serve --workspace) opens nothing else: no other folder, no sample, no folder browsing', async () => {
    const { call } = makeService(home, { initialWorkspace: ws, pinWorkspace: true });
    // Open from the start, before app.start.
    expect((await call('pipeline.read', { root: ws, path: FILE })).pipeline.name).toBe('release');
    const only = `this server serves only ${ws} (weir serve --workspace)`;
    await expect(call('workspace.open', { root: outside })).rejects.toThrow(only);
    await expect(call('workspace.openSample', {})).rejects.toThrow(only);
    await expect(call('fs.listFolders', { path: base })).rejects.toThrow(only);
    expect(existsSync(join(home, 'sample-workspace'))).toBe(false);
    expect((await call('workspace.open', { root: ws })).root).toBe(ws);
    const start = await call('app.start', {});
    expect(start.workspace.root).toBe(ws);
    expect(start.recent).toEqual([ws]);
  });

  it('the folder picker lists folder names only: no files, no hidden folders, no system folders', async () => {
    const pick = join(base, 'pick');
    await mkdir(join(pick, 'visible'), { recursive: true });
    await mkdir(join(pick, '.hidden'), { recursive: true });
    await writeFile(join(pick, 'secret.txt'), 'not for the picker');
    const { call } = makeService(home);
    const listing = await call('fs.listFolders', { path: pick });
    expect(listing).toEqual({ path: pick, parent: base, folders: [{ name: 'visible', path: join(pick, 'visible'), isWorkspace: false }], isWorkspace: false });
    expect(JSON.stringify(listing)).not.toContain('secret');
    await expect(call('fs.listFolders', { path: join(pick, '.hidden') })).rejects.toThrow(`${join(pick, '.hidden')}: hidden folders are not browsed`);
    await expect(call('fs.listFolders', { path: '/proc' })).rejects.toThrow('/proc: system folders are not browsed');
  });
});
