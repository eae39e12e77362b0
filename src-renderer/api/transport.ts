import type { Transport } from '../../shared/api/client';
import type { WeirBridge } from '../../shared/api/bridge';
import { httpTransport, startBrowserSession } from './http-transport';

declare global {
  interface Window {
    /** Set by the desktop app's preload; absent in the browser shell. */
    weir?: WeirBridge;
  }
}

function ipcTransport(bridge: WeirBridge): Transport {
  return {
    call: (method, input) => bridge.methods[method](input),
    subscribe: (event, listener) => bridge.on(event, listener),
  };
}

const session = window.weir ? null : startBrowserSession();

/**
 * Why this browser tab has no session with `weir serve`, in the server's words (its link was
 * used, or it was opened without one), or null: signed in, or the desktop app.
 */
export const sessionRefusal: Promise<string | null> = session ?? Promise.resolve(null);

/**
 * The page's one way to the main process: IPC in the desktop app, HTTP + WebSocket in the
 * browser shell. Light (no schemas), so the page's first module can send the first requests
 * with it (shell/early-requests.ts); everything else calls through `api` (client.ts).
 */
export const transport: Transport = window.weir ? ipcTransport(window.weir) : httpTransport(session ?? Promise.resolve(null));
