import type { MethodOutput } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/envelope';
import type { WorkspaceInfo } from '../../shared/api/schemas';
import { transport } from '../api/transport';

/**
 * The page's first requests, sent by its first, small module (main.tsx) while the app's own
 * code (a megabyte) is fetched, parsed and evaluated: the session (api/transport.ts),
 * `app.start`, and the read of the pipeline it will open. Sent by the mounted app, they were a
 * chain of round trips after all of that and after a render of the whole frame (figure 7a of
 * `npm run bench`). Only the transport is used here, to stay light; shell/start-requests.ts
 * hands the answers to `startApp` as the API client would.
 */

const LAST_PIPELINE = (root: string) => `weir.lastPipeline:${root}`;

export function rememberPipeline(root: string, path: string): void {
  try {
    localStorage.setItem(LAST_PIPELINE(root), path);
  } catch {
    // not remembered; the first pipeline opens next time
  }
}

/** The pipeline a workspace opens with: the one open last time, or its first readable one. */
export function pipelineToOpen(workspace: WorkspaceInfo): string | null {
  let last: string | null = null;
  try {
    last = localStorage.getItem(LAST_PIPELINE(workspace.root));
  } catch {
    last = null;
  }
  return (workspace.pipelines.find((p) => p.path === last && !p.error) ?? workspace.pipelines.find((p) => !p.error))?.path ?? null;
}

export interface EarlyRequests {
  start: Promise<Envelope<unknown>>;
  /** The first pipeline's read, once app.start has answered with a workspace that has one. */
  read: Promise<{ root: string; path: string; answer: Promise<Envelope<unknown>> } | null>;
}

let early: EarlyRequests | null = null;

export function sendEarlyRequests(): void {
  if (early) return;
  const start = transport.call('app.start', {});
  const read = start.then((answer) => {
    const workspace = answer.ok ? (answer.result as MethodOutput<'app.start'>).workspace : null;
    const path = workspace && pipelineToOpen(workspace);
    return workspace && path ? { root: workspace.root, path, answer: transport.call('pipeline.read', { root: workspace.root, path }) } : null;
  });
  // A start that failed is reported by startApp; the app then reads nothing early.
  read.catch(() => undefined);
  early = { start, read };
}

/** The early requests, once (a later start, e.g. another workspace opened, asks again). */
export function takeEarlyRequests(): EarlyRequests | null {
  const taken = early;
  early = null;
  return taken;
}
