import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { isMethodName, methods } from '../../shared/api/contract';

const MiB = 1024 * 1024;
/** Every method's input but a pipeline's or a draft's is small: names, paths, a connection. */
export const SMALL_BODY = 1 * MiB;
/** A pipeline document or a draft of one (a large canvas is a few MiB of JSON). */
export const LARGE_BODY = 16 * MiB;

/**
 * The most a request to `method` may carry. Read from the contract: a method whose input has a
 * `pipeline` or a draft's `text` may be large, every other one is small (an unknown name too).
 */
export function bodyLimit(method: string): number {
  if (!isMethodName(method)) return SMALL_BODY;
  const shape = (methods[method].input as z.ZodObject).shape;
  return 'pipeline' in shape || 'text' in shape ? LARGE_BODY : SMALL_BODY;
}

export const formatLimit = (bytes: number) => (bytes >= MiB ? `${bytes / MiB} MiB` : `${Math.round(bytes / 1024)} KiB`);

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${formatLimit(limit)}`);
  }
}

/**
 * The body, counted as it arrives: a declared length over `limit` is refused before a byte is
 * read, and a body that passes `limit` while streaming is refused at that byte. Nothing past
 * the limit is kept; the caller answers 413 and closes the connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        reject(new BodyTooLarge(limit));
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}
