import { ipcChannel } from '../../shared/api/bridge';
import { methodNames } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/envelope';
import type { Dispatch } from '../api/dispatch';

/** The parts of an IPC event the sender check reads (Electron's IpcMainInvokeEvent has them). */
export interface IpcEventLike {
  senderFrame: { url: string; parent: unknown } | null;
  sender: { id: number };
}

/** The slice of Electron's ipcMain the handlers use (a fake in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface SenderPolicy {
  /** The renderer's own page: file://…/out/renderer/index.html, or the dev server's origin. */
  isAppUrl(url: string): boolean;
  /** The webContents of the app's windows. */
  isAppWebContents(id: number): boolean;
}

/**
 * A call is answered only when it comes from the top frame of one of our windows showing
 * our page, not from an iframe, another page the window was navigated to, or another
 * webContents.
 */
export function senderRefusal(event: IpcEventLike, policy: SenderPolicy): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the calling frame is gone';
  if (frame.parent) return 'calls from a sub-frame are refused';
  if (!policy.isAppWebContents(event.sender.id)) return 'calls from another window are refused';
  if (!policy.isAppUrl(frame.url)) return `calls from ${new URL(frame.url).origin === 'null' ? frame.url : new URL(frame.url).origin} are refused`;
  return null;
}

/** One handler per contract method on its own channel; input is validated by the dispatcher. */
export function registerIpcHandlers(ipcMain: IpcMainLike, dispatch: Dispatch, policy: SenderPolicy): () => void {
  for (const method of methodNames) {
    ipcMain.handle(ipcChannel(method), async (event, ...args): Promise<Envelope<unknown>> => {
      let refusal: string | null;
      try {
        refusal = senderRefusal(event, policy);
      } catch {
        refusal = 'the caller could not be checked';
      }
      if (refusal) return { ok: false, error: { kind: 'usage', message: `${method}: ${refusal}` } };
      if (args.length > 1) return { ok: false, error: { kind: 'usage', message: `${method}: expected one input argument` } };
      return dispatch(method, args[0]);
    });
  }
  return () => {
    for (const method of methodNames) ipcMain.removeHandler(ipcChannel(method));
  };
}

/** The app-URL test for a page loaded from a file (production) or a dev server. */
export function appUrlMatcher(opts: { indexFileUrl: string; devServerUrl?: string | null }): (url: string) => boolean {
  const strip = (u: string) => u.replace(/[?#].*$/, '');
  const index = strip(opts.indexFileUrl);
  const devOrigin = opts.devServerUrl ? new URL(opts.devServerUrl).origin : null;
  return (url: string) => {
    if (strip(url) === index) return true;
    if (!devOrigin) return false;
    try {
      return new URL(url).origin === devOrigin;
    } catch {
      return false;
    }
  };
}
