import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, EventPayload } from '../../../shared/api/contract';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { createDispatcher } from '../../../src-main/api/dispatch';
import { MemorySecretStore } from '../../../src-main/api/secrets';
import { createApiService } from '../../../src-main/api/service';

export const samplePipeline = (): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name: 'release',
  params: {},
  nodes: [
    {
      id: 'lots',
      name: 'lots',
      kind: 'seed',
      inputs: [],
      config: { columns: [{ name: 'lot', type: 'VARCHAR' }, { name: 'viability', type: 'DOUBLE' }], rows: [['B1', 91.5], ['B2', 64], ['B3', 88]] },
    },
    { id: 'passing', name: 'passing', kind: 'sql', inputs: ['lots'], config: { materialize: 'auto', sql: ['select lot, viability', 'from lots', 'where viability >= 70'] } },
    { id: 'out', name: 'out', kind: 'file_sink', inputs: ['passing'], config: { path: 'data/curated/passing.csv', format: 'csv' } },
  ],
  layout: { lots: { x: 0, y: 0 }, passing: { x: 240, y: 0 }, out: { x: 480, y: 0 } },
});

/** A temp workspace with a workspace file, one good pipeline and one broken file. */
export async function makeWorkspace(): Promise<{ root: string; home: string; cleanup: () => Promise<void> }> {
  const base = await mkdtemp(join(tmpdir(), 'weir-api-'));
  const root = join(base, 'ws');
  const home = join(base, 'home');
  await mkdir(join(root, 'pipelines'), { recursive: true });
  await writeFile(
    join(root, 'weir.workspace.json'),
    JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} }, prod: { connections: {} } } }),
  );
  await writeFile(join(root, 'pipelines', 'release.weir.json'), serializePipeline(samplePipeline()));
  await writeFile(join(root, 'pipelines', 'broken.weir.json'), '{ "format": "weir.pipeline", ');
  return { root, home, cleanup: () => rm(base, { recursive: true, force: true }) };
}

/**
 * The service over a real dispatcher. `open`: the workspace the calls work in, opened as the
 * folder picker would (without touching the recent list); without it, only the methods that
 * choose a workspace answer.
 */
export function makeService(
  home: string,
  opts: { templatesDir?: string | null; initialWorkspace?: string | null; pinWorkspace?: boolean; open?: string; userHome?: string } = {},
) {
  const events: { name: EventName; payload: unknown }[] = [];
  const secrets = new MemorySecretStore();
  const service = createApiService({
    shell: 'browser',
    home,
    templatesDir: opts.templatesDir ?? null,
    initialWorkspace: opts.initialWorkspace ?? null,
    pinWorkspace: opts.pinWorkspace,
    userHome: opts.userHome,
    secrets,
    environment: process.env,
    emit: <E extends EventName>(name: E, payload: EventPayload<E>) => events.push({ name, payload }),
  });
  if (opts.open) service.workspaces.open(opts.open);
  const dispatch = createDispatcher(service.handlers);
  /** Calls a method and returns its result, or throws the envelope's error message. */
  const call = async (method: string, input: unknown): Promise<any> => { // eslint-disable-line @typescript-eslint/no-explicit-any -- tests poke at results freely
    const env = await dispatch(method, input);
    if (!env.ok) throw Object.assign(new Error(env.error.message), { kind: env.error.kind });
    return env.result;
  };
  return { service, dispatch, call, events, secrets };
}
