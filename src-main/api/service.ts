import { homedir, platform } from 'node:os';
import { WeirError } from '../../shared/errors';
import type { EventName, EventPayload, MethodName, MethodOutput, MethodParams } from '../../shared/api/contract';
import { WEIR_VERSION } from '../engine/version';
import { deleteConnection, listConnections, saveConnection, testWorkspaceConnection } from './connections';
import { discardDraft, getDraft, saveDraft } from './drafts';
import { gitCommit, gitDiff, gitHistory, gitRestore, gitStatus } from './git';
import { RecentList } from './home';
import { createPipeline, readPipeline, savePipeline, validatePipeline } from './pipelines';
import { PreviewManager } from './preview';
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
  /** A workspace asked for on the command line; wins over the recent list. */
  initialWorkspace?: string | null;
  emit: Emit;
}

export type ApiHandlers = { [M in MethodName]: (params: MethodParams<M>) => Promise<MethodOutput<M>> };

export interface ApiService {
  handlers: ApiHandlers;
  /** Cancels runs and previews in progress (window closed, server stopped). */
  dispose(): void;
}

/** The API contract implemented on top of the engine; every shell serves exactly this. */
export function createApiService(deps: ApiServiceDeps): ApiService {
  const recent = new RecentList(deps.home);
  const lookup = (name: string) => deps.secrets.get(name) ?? process.env[name];
  const runs = new RunManager((payload) => deps.emit('run.event', payload), lookup);
  const previews = new PreviewManager(lookup);
  const sqlAssist = new SqlAssist(lookup);
  let sampleRoot: string | null = null;

  const openWorkspace = async (root: string, sample = false) => {
    const info = await describeWorkspace(root, { sample: sample || root === sampleRoot });
    await recent.add(info.root);
    return info;
  };
  const openSample = async () => {
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
          return { ...base, workspace, recent: await recent.existing(), notice };
        } catch (e) {
          notice = `could not open ${root}: ${(e as Error).message}`;
        }
      }
      try {
        const workspace = await openSample();
        return { ...base, workspace, recent: await recent.existing(), notice };
      } catch (e) {
        return { ...base, workspace: null, recent: await recent.existing(), notice: notice ?? (e as Error).message };
      }
    },
    'workspace.open': ({ root }) => openWorkspace(root),
    'workspace.openSample': () => openSample(),
    'workspace.recent': async () => ({ recent: await recent.existing() }),
    'fs.listFolders': ({ path }) => listFolders(path ?? homedir()),

    'pipeline.read': ({ root, path }) => readPipeline(root, path),
    'pipeline.save': async ({ root, path, pipeline, expectSha256 }) => {
      const saved = await savePipeline(root, path, pipeline, expectSha256);
      await discardDraft(root, path);
      return saved;
    },
    'pipeline.create': ({ root, name }) => createPipeline(root, name),
    'pipeline.validate': async ({ pipeline }) => validatePipeline(pipeline),
    'pipeline.describeInputs': async (req) => ({ inputs: await sqlAssist.describeInputs(req) }),
    'sql.functions': async () => ({ functions: await sqlAssist.listFunctions() }),
    'pipeline.run': (req) => runs.start(req),
    'run.cancel': async ({ runId }) => ({ cancelled: runs.cancel(runId) }),
    'pipeline.preview': (req) => previews.preview(req),
    'pipeline.profile': (req) => previews.profile(req),

    'runs.list': async ({ root, limit }) => ({ runs: await listRuns(root, limit) }),
    'runs.get': async ({ root, runId }) => ({ record: await getRun(root, runId) }),

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
    'connections.test': (req) => testWorkspaceConnection(req, lookup),

    'git.status': ({ root }) => gitStatus(root),
    'git.commit': ({ root, files, message }) => gitCommit(root, files, message),
    'git.history': ({ root, path, limit }) => gitHistory(root, path, limit),
    'git.diff': ({ root, path, from, to, context }) => gitDiff(root, path, from, to, context),
    'git.restore': ({ root, path, revision, confirm }) => gitRestore(root, path, revision, confirm ?? false),
  };

  return {
    handlers,
    dispose() {
      runs.cancelAll();
      previews.cancelAll();
      sqlAssist.cancelAll();
    },
  };
}
