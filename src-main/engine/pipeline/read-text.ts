import { closeSync, constants, fstatSync, openSync, statSync, type Stats } from 'node:fs';
import { readFdToEnd } from '../host/regular-file';
import { open } from 'node:fs/promises';
import { WeirError, PipelineInvalidError } from '../../../shared/errors';

/**
 * Reading a file a user named (a pipeline, a workspace file), which may be anything git or a
 * colleague can put there: a FIFO that would block the read forever, a symlink to a device
 * that never ends, a binary file, a huge file. Only regular files of sane size holding UTF-8
 * text are read; everything else is one clear line. A leading UTF-8 byte order mark is dropped.
 */

/** Pipeline and workspace files are JSON a person edits: far below this. */
export const MAX_TEXT_FILE_BYTES = 128 * 1024 * 1024;

export interface TextFile {
  /** The decoded text, without a byte order mark. */
  text: string;
  /** The bytes as read (what a file hash is taken of). */
  bytes: Buffer;
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'is a folder';
  if (s.isFIFO()) return 'is a named pipe (FIFO)';
  if (s.isSocket()) return 'is a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'is a device';
  return 'is not a regular file';
}

function refuse(path: string, message: string): never {
  throw new PipelineInvalidError(path, [{ path: '', message }]);
}

function statError(path: string, e: unknown, what: string): never {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') refuse(path, `no such ${what}`);
  if (code === 'EACCES' || code === 'EPERM') refuse(path, 'permission denied');
  if (code === 'ELOOP') refuse(path, 'too many levels of symbolic links');
  throw new WeirError('invalid', `${path}: cannot read (${code ?? (e as Error).message})`);
}

function checkStats(path: string, s: Stats, what: string): void {
  if (!s.isFile()) refuse(path, `${kindOf(s)}, expected a ${what}`);
  if (s.size > MAX_TEXT_FILE_BYTES) refuse(path, `is ${Math.round(s.size / 1024 / 1024)} MiB; ${what} over ${MAX_TEXT_FILE_BYTES / 1024 / 1024} MiB is refused`);
}

// O_NONBLOCK: if the path became a FIFO between stat and open, open returns at once instead of
// waiting for a writer; the fstat after it then refuses it.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Bytes to text, or one line naming the first byte that is not UTF-8 (a binary file). */
export function decodeUtf8(path: string, bytes: Buffer): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, at);
    let line = 1;
    for (const b of before) if (b === 0x0a) line++;
    const byte = bytes[at] ?? 0;
    return refuse(path, `not UTF-8 text (a binary file?): byte \\x${byte.toString(16).padStart(2, '0')} at line ${line}, byte offset ${at}`);
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    const len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (!len) return i;
    for (let k = 1; k < len; k++) {
      const x = b[i + k];
      if (x === undefined || (x & 0xc0) !== 0x80) return i;
    }
    // Overlong, surrogate and out-of-range forms that the length test alone lets through.
    const d = b[i + 1] as number;
    if ((c === 0xe0 && d < 0xa0) || (c === 0xed && d > 0x9f) || (c === 0xf0 && d < 0x90) || (c === 0xf4 && d > 0x8f)) return i;
    i += len;
  }
  return b.length;
}

/**
 * Reads a user's text file (see the module comment). `what` names it in messages ("pipeline
 * file"), `shown` is the path as messages give it (as the user wrote it).
 */
export async function readTextFile(path: string, what: string, shown = path): Promise<TextFile> {
  let s: Stats;
  try {
    s = statSync(path);
  } catch (e) {
    statError(shown, e, what);
  }
  checkStats(shown, s, what);
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (e) {
    statError(shown, e, what);
  }
  try {
    checkStats(shown, await handle.stat(), what);
    const bytes = await handle.readFile();
    if (bytes.length > MAX_TEXT_FILE_BYTES) refuse(shown, `${what} over ${MAX_TEXT_FILE_BYTES / 1024 / 1024} MiB is refused`);
    return { text: decodeUtf8(shown, bytes), bytes };
  } finally {
    await handle.close();
  }
}

/** The same, synchronously (the workspace file is read where no await is possible). */
export function readTextFileSync(path: string, what: string, shown = path): TextFile {
  let s: Stats;
  try {
    s = statSync(path);
  } catch (e) {
    statError(shown, e, what);
  }
  checkStats(shown, s, what);
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    statError(shown, e, what);
  }
  try {
    checkStats(shown, fstatSync(fd), what);
    const bytes = readFdToEnd(fd, MAX_TEXT_FILE_BYTES, () => refuse(shown, `${what} over ${MAX_TEXT_FILE_BYTES / 1024 / 1024} MiB is refused`));
    return { text: decodeUtf8(shown, bytes), bytes };
  } finally {
    closeSync(fd);
  }
}
