import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Weir</title>
<body style="font:15px system-ui;margin:3em">
<h1>The designer is not built yet</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds it), then reload.</p>`;

/**
 * Serves the built renderer. Only files under `dir`; a path without an extension gets
 * index.html (the app has one page). These are the same files the desktop app loads.
 */
export async function serveStatic(dir: string | null, urlPath: string, res: ServerResponse, headers: Record<string, string>): Promise<void> {
  if (!dir || !existsSync(join(dir, 'index.html'))) {
    res.writeHead(503, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(NOT_BUILT);
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    res.writeHead(400, headers).end('bad path');
    return;
  }
  const root = resolve(dir);
  let file = resolve(root, '.' + normalize('/' + rel));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(404, headers).end('not found');
    return;
  }
  const isFile = await stat(file).then((s) => s.isFile(), () => false);
  if (!isFile) {
    if (extname(rel)) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    file = join(root, 'index.html');
  }
  const body = await readFile(file);
  // Hashed assets can be cached forever; index.html must be fetched fresh to pick up a build.
  const cache = file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cache }).end(body);
}
