import { connect } from 'node:net';
import type pg from 'pg';
import { closeClient, type PgTarget } from './connect';

/** How long a cancelled statement may take to end before its connection is dropped. */
export const CANCEL_GRACE_MS = 2000;

/**
 * Makes a signal's abort reach the server: a PostgreSQL CancelRequest for the session's
 * statement (what psql's Ctrl-C sends), then, if the client is still busy CANCEL_GRACE_MS later,
 * the socket dropped. Without it only a streaming COPY saw the abort: a statement before it (a
 * source's query description waiting on a lock, say) ran on in the server for its whole
 * statement_timeout, and the run, preview or signal waited with it. Returns the disposer.
 */
export function cancelOnAbort(client: pg.Client, target: PgTarget, signal: AbortSignal): () => void {
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    sendCancelRequest(client, target);
    timer = setTimeout(() => void closeClient(client, { force: true }), CANCEL_GRACE_MS);
    timer.unref();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => {
    signal.removeEventListener('abort', onAbort);
    clearTimeout(timer);
  };
}

/**
 * The protocol's CancelRequest on a connection of its own (16 bytes: length, code 80877102,
 * the backend's process id and secret key). The server takes it before any TLS or
 * authentication step, so it goes in plain TCP whatever the session used; best effort: a
 * server that does not answer leaves it to the dropped socket.
 */
function sendCancelRequest(client: pg.Client, target: PgTarget): void {
  const { processID, secretKey } = client as unknown as { processID: number | null; secretKey: number | null };
  if (processID === null || secretKey === null) return;
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(80877102, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  // libpq's convention, which pg follows: a host that is a path names a Unix socket's folder.
  const socket = target.host.startsWith('/') ? connect({ path: `${target.host}/.s.PGSQL.${target.port}` }) : connect({ host: target.host, port: target.port });
  socket.setTimeout(CANCEL_GRACE_MS, () => socket.destroy());
  socket.on('error', () => undefined);
  socket.on('connect', () => socket.end(packet));
  socket.unref();
}
