import { connect } from 'node:net';

/**
 * POSTs `total` bytes of body to 127.0.0.1:`port` on a raw socket, in 64 KiB pieces, as fast
 * as the server takes them: with a declared Content-Length, or chunked. Resolves with the
 * answer's status line and how much of the body went out before the server cut the connection
 * (the sender's memory stays small: one piece is reused).
 */
export function sendBigBody(opts: { port: number; path: string; total: number; declared: boolean; cookie: string }): Promise<{ status: string; sent: number }> {
  const { port, path, total, declared, cookie } = opts;
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    let answer = '';
    let sent = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      sock.destroy();
      resolve({ status: answer.split('\r\n')[0] ?? '', sent });
    };
    // A client that reads while it sends (as browsers and curl do) stops sending at the answer.
    sock.on('data', (d) => {
      answer += d.toString('latin1');
      if (answer.includes('\r\n')) finish();
    });
    sock.on('error', finish);
    sock.on('close', finish);
    const piece = Buffer.alloc(64 * 1024, 0x20);
    const head = [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, `Cookie: ${cookie}`, 'Content-Type: application/json'];
    head.push(declared ? `Content-Length: ${total}` : 'Transfer-Encoding: chunked');
    sock.write(head.join('\r\n') + '\r\n\r\n');
    const pump = () => {
      while (!done && sent < total) {
        const n = Math.min(piece.length, total - sent);
        const chunk = declared ? piece.subarray(0, n) : Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), piece.subarray(0, n), Buffer.from('\r\n')]);
        sent += n;
        if (!sock.write(chunk)) return void sock.once('drain', pump);
      }
      if (!done && !declared) sock.write('0\r\n\r\n');
    };
    pump();
  });
}
