import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipelineFile } from '../../support/engine';
import { tempDir } from '../../support/temp-dir';

/**
 * An API answers an http source with more than anyone should hold in memory: a body that goes on
 * and on, or a Content-Length of gigabytes. The source reads a page whole before parsing it, so
 * without a bound such an answer takes the process's memory (a 1.5 GB answer peaked at 4.6 GB of
 * resident memory before the bound). The node must fail with one line naming it and the bound,
 * having read little more than the bound, and the server must see its connection dropped.
 */
const MB = 1024 * 1024;
/** What the "endless" answer sends at most: well over the bound, small enough for a test machine. */
const STREAM_BYTES = 48 * MB;
/** A cursor an API may answer: long, with a line break in it. */
const LONG_CURSOR = `c1\nInjected: line ${'x'.repeat(5000)}`;

describe('http_source: an answer larger than max_response_mb', () => {
  let server: Server;
  let base = '';
  let ws = '';
  /** Bytes the streaming endpoint managed to write before its client went away. */
  let streamed = 0;
  let streamClosedEarly = false;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/declared') {
        // A Content-Length of 300 MB (over the default bound), and not one byte of it sent.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(300 * MB) });
        res.flushHeaders();
        return;
      }
      if (req.url?.startsWith('/cursor')) {
        // The same long cursor, holding a newline, on every page: the loop guard stops the node.
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [{ id: 1 }], next: LONG_CURSOR }));
        return;
      }
      if (req.url === '/small') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ id: 1 }, { id: 2 }]));
        return;
      }
      // /stream: valid JSON that keeps coming, written as fast as the client reads.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.from(`{"id":1,"pad":"${'x'.repeat(4000)}"},`);
      streamed = 0;
      streamClosedEarly = false;
      res.on('close', () => {
        if (!res.writableFinished) streamClosedEarly = true;
      });
      res.write('[');
      const pump = () => {
        while (streamed < STREAM_BYTES) {
          if (res.destroyed) return;
          streamed += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('{"id":2}]');
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ws = tempDir('weir-http-big-');
    const api = { kind: 'http', base_url: base };
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: { api } } } }));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const pipelineFile = (name: string, source: Record<string, unknown>) => {
    const file = join(ws, `${name}.weir.json`);
    const nodes = [
      { id: 'src', name: 'entries', kind: 'http_source', inputs: [], config: { connection: 'api', retries: 0, ...source } },
      { id: 'out', name: 'out_csv', kind: 'file_sink', inputs: ['src'], config: { path: `${name}.csv`, format: 'csv' } },
    ];
    writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name, params: {}, nodes }));
    return file;
  };

  it('stops reading an endless answer at the bound and fails the node in one line', async () => {
    const out = await runPipelineFile({ file: pipelineFile('endless', { url: 'stream', max_response_mb: 1 }), secrets: () => undefined, useCache: false });
    expect(out.status).toBe('failed');
    const message = out.error?.message ?? '';
    expect(message).toContain('node "entries"');
    expect(message).toContain('over 1 MB (max_response_mb)');
    expect(message).not.toContain('\n');
    // The client went away: the server could not write the whole answer (kernel buffers hold a few MB).
    expect(streamClosedEarly).toBe(true);
    expect(streamed).toBeLessThan(STREAM_BYTES);
    expect(out.record.nodes.find((n) => n.id === 'out')?.status).not.toBe('succeeded');
  });

  it('refuses a declared Content-Length over the default bound (256 MB) before reading the body', async () => {
    const out = await runPipelineFile({ file: pipelineFile('declared', { url: 'declared', timeout_seconds: 20 }), secrets: () => undefined, useCache: false });
    expect(out.status).toBe('failed');
    expect(out.error?.message).toContain('over 256 MB (max_response_mb)');
  });

  it('a long cursor answered twice is quoted short, on one line, in the error', async () => {
    const pagination = { type: 'cursor', param: 'after', cursor_path: 'next' };
    const out = await runPipelineFile({ file: pipelineFile('cursor', { url: 'cursor', records_path: 'items', pagination }), secrets: () => undefined, useCache: false });
    expect(out.status).toBe('failed');
    const message = out.error?.message ?? '';
    expect(message).toContain('the API returned cursor "c1\\nInjected: line xxx');
    expect(message).toContain('(5021 characters) twice');
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(400);
  });

  it('still reads an answer under the bound', async () => {
    const out = await runPipelineFile({ file: pipelineFile('small', { url: 'small', max_response_mb: 1 }), secrets: () => undefined, useCache: false });
    expect(out.error?.message ?? null).toBeNull();
    expect(out.status).toBe('succeeded');
  });
});
