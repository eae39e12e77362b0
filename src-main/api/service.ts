import { homedir, platform } from 'node:os';
import { insideWorkspace, workspaceRoot } from './paths';
import { join } from 'node:path';
import { WeirError } from '../../shared/errors';
import { methodNames, type EventName, type EventPayload, type MethodName, type MethodOutput, type MethodParams } from '../../shared/api/contract';
import { contextFromEnvironment, createEngine, WEIR_VERSION, type Environment, type KeyWrapper } from '../engine';
import { deleteConnection, listConnections, saveConnection, testWorkspaceConnection } from './connections';
import { discardDraft, getDraft, saveDraft } from './drafts';
import { PipelineWatcher } from './file-watch';
import { gitCommit, gitDiff, gitHistory, gitRestore, gitStatus } from './git';
import { RecentList } from './home';
import { OpenWorkspaces } from './open-workspaces';
import { createPipeline, readPipeline, savePipeline, validatePipeline } from './pipelines';
import { planFile } from './plan';
import { PreviewManager } from './preview';
import { ReviewManager } from './review';
import { getRun, listRuns, RunManager } from './runs';
import { ensureSampleWorkspace } from './sample';
import type { SecretStore } from './secrets';
import { SqlAssist } from './sql-assist';
import { describeWorkspace, listFolders } from './workspace';

export type Emit = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface ApiServiceDeps {
  shell: 'electron' | 'browser';
  /** The designer's own folder: recent list, sample workspace. */
  home: string;
  /** Where the starter templates are (null: none shipped with this build). */
  templatesDir: string | null;
  secrets: SecretStore;
  /**
   * The process environment (the shell passes process.env): the engine's settings come from
   * it, and a `${env:NAME}` the secret store does not hold is looked up in it.
   */
  environment: Environment;
  /** A workspace asked for on the command line; wins over the recent list. */
  initialWorkspace?: string | null;
  /** `initialWorkspace` is the only folder this service may work in (weir serve --workspace). */
  pinWorkspace?: boolean;
  /** The user's home folder (tests give another): never a workspace, nor anything above it. */
  userHome?: string;
  emit: Emit;
  /** The desktop's keychain around signers' key files (electron/key-wrapper.ts); absent: plain key files. */
  keyWrapper?: KeyWrapper;
}

export type ApiHandlers = { [M in MethodName]: (params: MethodParams<M>) => Promise<MethodOutput<M>> };

export interface ApiService {
  /** Every handler behind the open-workspace check (see OpenWorkspaces). */
  handlers: ApiHandlers;
  /** Which folder the handlers may work in. */
  workspaces: OpenWorkspaces;
  /** Cancels runs and previews in progress (window closed, server stopped). */
  dispose(): void;
  /** Cancels the previews, profiles, charts and lineages in flight for one pipeline file (an MCP client cancelled its call). */
  cancelPreviews(root: string, path: string): void;
  /** Resolves once no run is publishing (after dispose, before a shell's process may leave what still computes). */
  publishSettled(): Promise<void>;
}

/**
 * The methods that choose the open workspace or browse for one; each checks its own folder
 * with OpenWorkspaces. Every other method is refused unless what it names is in the open
 * workspace.
 */
export const WORKSPACE_CHOOSERS: ReadonlySet<MethodName> = new Set<MethodName>(['app.start', 'workspace.open', 'workspace.openSample', 'fs.listFolders']);

function guarded(handlers: ApiHandlers, workspaces: OpenWorkspaces): ApiHandlers {
  const out: Partial<Record<MethodName, (params: unknown) => Promise<unknown>>> = {};
  for (const m of methodNames) {
    const handler = handlers[m] as (params: unknown) => Promise<unknown>;
    out[m] = WORKSPACE_CHOOSERS.has(m)
      ? handler
      : async (params) => {
          workspaces.check(params);
          return handler(params);
        };
  }
  return out as ApiHandlers;
}

/** The API contract implemented on top of the engine; every shell serves exactly this. */
export function createApiService(deps: ApiServiceDeps): ApiService {
  const pinned = deps.pinWorkspace ? (deps.initialWorkspace ?? null) : null;
  const workspaces = new OpenWorkspaces({ pinned, home: deps.userHome });
  const recent = new RecentList(deps.home);
  /** In a pinned server the recent list offers only what it may open. */
  const recentList = async () => (await recent.existing()).filter((r) => !pinned || r === workspaces.pinned);
  // The engine this service runs everything on: the secret store first, then the environment.
  const engine = createEngine(contextFromEnvironment(deps.environment, { env: (name) => deps.secrets.get(name) ?? deps.environment[name], keyWrapper: deps.keyWrapper }));
  const runs = new RunManager((payload) => deps.emit('run.event', payload), engine);
  const reviews = new ReviewManager((payload) => deps.emit('review.progress', payload), engine);
  const previews = new PreviewManager(engine);
  const sqlAssist = new SqlAssist(engine, previews.sessions);
  // Changes made outside the app to the open workspace's pipelines, pushed like run events.
  const watcher = new PipelineWatcher((payload) => deps.emit('workspace.changed', payload));
  let sampleRoot: string | null = null;

  const openWorkspace = async (root: string, sample = false) => {
    workspaces.checkOpen(root);
    const info = await describeWorkspace(root, { sample: sample || root === sampleRoot });
    workspaces.open(info.root);
    // The previews of the workspace before it are closed with it.
    await previews.workspaceOpened(info.root);
    await watcher.watch(info.root);
    await recent.add(info.root);
    return info;
  };
  const openSample = async () => {
    if (pinned) workspaces.checkOpen(join(deps.home, 'sample-workspace'));
    sampleRoot = await ensureSampleWorkspace(deps.home, deps.templatesDir);
    if (!sampleRoot) {
      throw new WeirError('invalid', 'this installation has no sample template (templates/cgt-batch-release); open a folder instead');
    }
    return openWorkspace(sampleRoot, true);
  };

  const handlers: ApiHandlers = {
    'app.start': async () => {
      const base = { version: WEIR_VERSION, shell: deps.shell, platform: platform() };
      let notice: string | null = null;
      const candidates = deps.initialWorkspace ? [deps.initialWorkspace] : (await recent.existing()).slice(0, 1);
      for (const root of candidates) {
        try {
          const workspace = await openWorkspace(root);
          return { ...base, workspace, recent: await recentList(), notice };
        } catch (e) {
          notice = `could not open ${root}: ${(e as Error).message}`;
        }
      }
      // A pinned server has nothing else to offer: the notice says what is wrong with its folder.
      if (pinned) return { ...base, workspace: null, recent: await recentList(), notice };
      try {
        const workspace = await openSample();
        return { ...base, workspace, recent: await recentList(), notice };
      } catch (e) {
        return { ...base, workspace: null, recent: await recentList(), notice: notice ?? (e as Error).message };
      }
    },
    'workspace.open': ({ root }) => openWorkspace(root),
    'workspace.openSample': () => openSample(),
    'workspace.recent': async () => ({ recent: await recentList() }),
    'fs.listFolders': ({ path }) => listFolders(workspaces.browsable(path ?? homedir())),

    'pipeline.read': ({ root, path }) => readPipeline(root, path),
    'pipeline.save': async ({ root, path, pipeline, expectSha256 }) => {
      const saved = await savePipeline(root, path, pipeline, expectSha256, (hash) => watcher.expect(root, path, hash));
      await discardDraft(root, path);
      return saved;
    },
    'pipeline.create': async ({ root, name }) => {
      // The file's path is made here, not named in the input: the field check cannot see it.
      workspaces.requireFile(root, `pipelines/${name}.weir.json`);
      const doc = await createPipeline(root, name);
      await watcher.settleNow(root);
      return doc;
    },
    'pipeline.validate': (req) => validatePipeline(engine, req),
    'pipeline.describeInputs': (req) => sqlAssist.describeInputs(req),
    'sql.functions': async () => ({ functions: await sqlAssist.listFunctions() }),
    'pipeline.run': (req) => runs.start(req),
    'pipeline.partitions': ({ root, path, params, environment }) => engine.partitions({ file: insideWorkspace(workspaceRoot(root), path), params, environment }),
    'pipeline.plan': (req) => planFile(req),
    'run.cancel': async ({ runId }) => ({ cancelled: runs.cancel(runId) }),
    'pipeline.preview': (req) => previews.preview(req),
    'pipeline.profile': (req) => previews.profile(req),
    'pipeline.chart': (req) => previews.chart(req),
    'pipeline.lineage': (req) => previews.lineage(req),
    'pipeline.explain': (req) => previews.explain(req),
    'pipeline.review': (req) => reviews.review(req),
    'review.cancel': async ({ reviewId }) => ({ cancelled: reviews.cancel(reviewId) }),

    'runs.list': ({ root, limit }) => listRuns(root, limit),
    'runs.get': async ({ root, runId }) => ({ record: await getRun(root, runId) }),
    'release.status': async ({ root, runId }) => ({ runs: await engine.gxp.releaseStatus(workspaceRoot(root), runId) }),
    'sign.subject': ({ root, runId }) => engine.gxp.subject(workspaceRoot(root), runId),
    'sign.run': async ({ root, runId, meaning, comment, signerId, passphrase }) => {
      const r = await engine.gxp.sign({ root: workspaceRoot(root), runId, meaning, comment, signerId, passphrase });
      return { seq: r.seq, signerName: r.signature.signerName, signedAt: r.signature.signedAt, meaning: r.signature.meaning, state: r.state };
    },

    'drafts.save': ({ root, path, text, baseSha256 }) => saveDraft(root, path, text, baseSha256),
    'drafts.get': async ({ root, path }) => ({ draft: await getDraft(root, path) }),
    'drafts.discard': async ({ root, path }) => {
      await discardDraft(root, path);
      return {};
    },

    'secrets.list': async () => ({ names: deps.secrets.list(), persistent: deps.secrets.persistent }),
    'secrets.set': async ({ name, value }) => {
      deps.secrets.set(name, value);
      return {};
    },
    'secrets.delete': async ({ name }) => {
      deps.secrets.delete(name);
      return {};
    },

    'connections.list': ({ root }) => listConnections(root, deps.secrets),
    'connections.save': (req) => saveConnection(req, deps.secrets),
    'connections.delete': ({ root, environment, name }) => deleteConnection(root, environment, name, deps.secrets),
    'connections.test': (req) => testWorkspaceConnection(engine, req),

    'git.status': ({ root }) => gitStatus(engine, root),
    'git.commit': ({ root, files, message }) => gitCommit(engine, root, files, message),
    'git.history': ({ root, path, limit }) => gitHistory(engine, root, path, limit),
    'git.diff': ({ root, path, from, to, context }) => gitDiff(engine, root, path, from, to, context),
    'git.restore': async ({ root, path, revision, confirm }) => {
      const restored = await gitRestore(engine, root, path, revision, confirm ?? false);
      // The designer reopens the file it restored: not a change from outside.
      await watcher.settleNow(root);
      return restored;
    },
  };

  return {
    handlers: guarded(handlers, workspaces),
    workspaces,
    dispose() {
      runs.cancelAll();
      reviews.cancelAll();
      watcher.close();
      void previews.dispose();
      sqlAssist.cancelAll();
    },
    cancelPreviews: (root, path) => previews.cancel(root, path),
    publishSettled: () => runs.publishSettled(),
  };
}
