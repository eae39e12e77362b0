import type { Transport } from '../../shared/api/client';
import type { EventName } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/envelope';

const TOKEN_KEY = 'weir.token';

/**
 * The token `weir serve` printed rides in the URL fragment (never sent to a server); it is
 * kept for this tab in sessionStorage and taken out of the address bar.
 */
export function takeToken(): string | null {
  const m = /(?:^#|&)token=([\w-]+)/.exec(location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return m[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** The browser shell's transport: POST /api/<method>, events over one WebSocket. */
export function httpTransport(token: string | null): Transport {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 500;

  const connect = () => {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events?token=${encodeURIComponent(token ?? '')}`);
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
      let res: Response;
      try {
        res = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? ''}` },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        return { ok: false, error: { kind: 'connection', message: 'The Weir server is not answering; is `weir serve` still running?' } };
      }
      try {
        return (await res.json()) as Envelope<unknown>;
      } catch {
        return { ok: false, error: { kind: 'internal', message: `The server answered ${res.status} without a result.` } };
      }
    },
    subscribe(event, listener) {
      if (!socket) connect();
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)?.delete(listener);
    },
  };
}
