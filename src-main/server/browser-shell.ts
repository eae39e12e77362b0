import { dirname } from 'node:path';
import type { EventName, EventPayload } from '../../shared/api/contract';
import { createDispatcher } from '../api/dispatch';
import { defaultWeirHome } from '../api/home';
import { findUp } from '../api/locate';
import { MemorySecretStore } from '../api/secrets';
import { createApiService } from '../api/service';
import { startServer, type RunningServer } from './server';

export interface BrowserShellOptions {
  port: number;
  /** The one folder this server serves; without it, the folder the user opens in the page. */
  workspace?: string | null;
  home?: string;
  rendererDir?: string | null;
  templatesDir?: string | null;
  /** Where a new one-time link goes when a browser arrives without a session (see ServerOptions). */
  onNewLaunchUrl?: (url: string) => void;
}

const here = () => [process.env.WEIR_APP_DIR, process.argv[1] ? dirname(process.argv[1]) : undefined, process.cwd()];

/** The built renderer: $WEIR_RENDERER_DIR, or out/renderer above the running script or the working folder. */
export function findRendererDir(): string | null {
  if (process.env.WEIR_RENDERER_DIR) return process.env.WEIR_RENDERER_DIR;
  const index = findUp(here(), 'out/renderer/index.html');
  return index ? index.slice(0, -'/index.html'.length) : null;
}

export function findTemplatesDir(): string | null {
  return findUp(here(), 'templates');
}

/**
 * The API service and the HTTP/WebSocket server wired together: the service's events go
 * out on the WebSocket. Secrets live in memory for the life of the server.
 */
export async function startBrowserShell(opts: BrowserShellOptions): Promise<RunningServer & { rendererDir: string | null }> {
  let server: RunningServer | null = null;
  const service = createApiService({
    shell: 'browser',
    home: opts.home ?? defaultWeirHome(),
    templatesDir: opts.templatesDir === undefined ? findTemplatesDir() : opts.templatesDir,
    secrets: new MemorySecretStore(),
    environment: process.env,
    initialWorkspace: opts.workspace ?? null,
    pinWorkspace: !!opts.workspace,
    emit: <E extends EventName>(name: E, payload: EventPayload<E>) => server?.broadcast(name, payload),
  });
  const rendererDir = opts.rendererDir === undefined ? findRendererDir() : opts.rendererDir;
  try {
    server = await startServer({ port: opts.port, rendererDir, dispatch: createDispatcher(service.handlers), onNewLaunchUrl: opts.onNewLaunchUrl });
  } catch (e) {
    service.dispose();
    throw e;
  }
  const close = server.close;
  return {
    ...server,
    rendererDir,
    close: async () => {
      service.dispose();
      await close();
      // Runs were cancelled; one that is publishing finishes its commits first.
      await service.publishSettled();
    },
  };
}
