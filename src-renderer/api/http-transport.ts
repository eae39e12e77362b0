import type { Transport } from '../../shared/api/client';
import type { EventName } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/envelope';

const NOT_ANSWERING = 'The Weir server is not answering; is `weir serve` still running?';

/**
 * The one-time launch code of the link `weir serve` printed or opened (`#launch=<code>`; a
 * fragment never travels in a request). It is taken out of the address bar at once, so the
 * page's URL, and the history entry, hold nothing.
 */
export function takeLaunchCode(): string | null {
  const m = /(?:^#|&)launch=([\w-]+)/.exec(location.hash);
  if (!m?.[1]) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return m[1];
}

/**
 * Starts this browser's session: the code is exchanged for an HttpOnly cookie (the page never
 * sees the session itself); a browser that has a session keeps it. Resolves with null, or
 * with the server's one-line reason when it has no session for this browser.
 */
export async function startSession(code: string | null): Promise<string | null> {
  try {
    const res = await fetch('/launch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(code ? { code } : {}) });
    if (res.ok) return null;
    const body = (await res.json().catch(() => null)) as Envelope<unknown> | null;
    return body && !body.ok ? body.error.message : `The server answered ${res.status} when starting the session.`;
  } catch {
    return NOT_ANSWERING;
  }
}

/**
 * The session of this page: started with the code of the link that opened it, if any. A link
 * opened in a tab that already shows the designer changes only the fragment (no new page):
 * its code is taken and used the same way, rather than left live in the address bar.
 */
export function startBrowserSession(): Promise<string | null> {
  const first = startSession(takeLaunchCode());
  window.addEventListener('hashchange', () => {
    const code = takeLaunchCode();
    if (!code) return;
    void Promise.all([first, startSession(code)]).then(([before, now]) => {
      // A page that started without a session starts again, now with one.
      if (before !== null && now === null) location.reload();
    });
  });
  return first;
}

/**
 * The browser shell's transport: POST /api/<method>, events over one WebSocket; both carry
 * the session cookie. Nothing is sent before the session has been started.
 */
export function httpTransport(session: Promise<string | null>): Transport {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let connecting = false;
  let retry = 500;

  const connect = () => {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`);
    socket = ws;
    ws.onopen = () => {
      retry = 500;
    };
    ws.onmessage = (m) => {
      try {
        const { event, payload } = JSON.parse(String(m.data)) as { event: EventName; payload: unknown };
        for (const l of listeners.get(event) ?? []) l(payload);
      } catch {
        // not an event of ours
      }
    };
    ws.onclose = () => {
      socket = null;
      // The server restarted or the laptop slept: reconnect, backing off.
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10_000);
    };
  };

  return {
    async call(method, input) {
      const refused = await session;
      let res: Response;
      try {
        res = await fetch(`/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input ?? {}) });
      } catch {
        return { ok: false, error: { kind: 'connection', message: NOT_ANSWERING } };
      }
      // Why this browser has no session says more than the API's own 401.
      if (res.status === 401 && refused) return { ok: false, error: { kind: 'usage', message: refused } };
      try {
        return (await res.json()) as Envelope<unknown>;
      } catch {
        return { ok: false, error: { kind: 'internal', message: `The server answered ${res.status} without a result.` } };
      }
    },
    subscribe(event, listener) {
      if (!socket && !connecting) {
        connecting = true;
        void session.then(() => {
          connecting = false;
          if (!socket) connect();
        });
      }
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)?.delete(listener);
    },
  };
}
