import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { WeirError } from '../../../shared/errors';

/**
 * Reading a file that lives in a workspace: its own files (`signers.json`, `weir.audit.json`,
 * a sink's `.weir-output.json`) and everything under `.weir/` (run records, the audit log and
 * head, lot and source states, caches). A workspace can arrive as an archive or a copied folder,
 * so any of these may be a named pipe or a link to a device: a plain `readFile` of a FIFO waits
 * for a writer forever (and holds one of libuv's four file threads while it waits, so the
 * process's other file work stalls too, and a SIGTERM's clean cancel never ends). Here the file
 * is opened without waiting (O_NONBLOCK), and anything but a regular file is refused with one
 * line naming it, as a missing file would be reported. Pipeline and workspace files themselves
 * go through `pipeline/read-text.ts`, which also checks their text.
 */

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Refused: the path is not a regular file. Its `code` lets callers that skip unreadable files tell it apart. */
export class NotRegularFile extends WeirError {
  readonly code = 'ENOTREGULAR';
  constructor(
    readonly path: string,
    /** What it is instead: "a named pipe (FIFO)", "a folder", ... */
    readonly what: string,
  ) {
    super('invalid', `${path} is ${what}, expected a regular file; nothing was read from it`);
  }
}

function checkRegular(path: string, s: Stats): void {
  if (!s.isFile()) throw new NotRegularFile(path, kindOf(s));
}

/** A regular file opened for reading (its handle), never waiting on a FIFO; anything else is refused. */
export async function openRegular(path: string): Promise<FileHandle> {
  return keptIfRegular(path, await open(path, OPEN_FLAGS));
}

/** The handle when it is a regular file's; else closed, and refused. */
async function keptIfRegular(path: string, handle: FileHandle): Promise<FileHandle> {
  try {
    checkRegular(path, await handle.stat());
    return handle;
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * A regular file opened for appending (made when missing). Opening a FIFO for writing waits for
 * a reader as a read waits for a writer; with O_NONBLOCK it fails at once (ENXIO) or opens, and
 * the check after it refuses what is not a regular file.
 */
export async function openRegularAppend(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0), 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENXIO') throw new NotRegularFile(path, 'a named pipe (FIFO)');
    throw e;
  }
  return keptIfRegular(path, handle);
}

/** The bytes of a regular file; a FIFO, socket, device or folder is refused at once (see above). */
export async function readRegularFile(path: string): Promise<Buffer> {
  const handle = await openRegular(path);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** The same, as UTF-8 text. */
export async function readRegularText(path: string): Promise<string> {
  return (await readRegularFile(path)).toString('utf8');
}

/** The same, synchronously. */
export function readRegularFileSync(path: string): Buffer {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    checkRegular(path, fstatSync(fd));
    return readFdToEnd(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Every byte of an open file, read to the end rather than trusting its size (files in /proc say
 * 0); `over` is called (and must throw) as soon as more than `max` bytes have come.
 */
export function readFdToEnd(fd: number, max = Infinity, over?: () => never): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const got = readSync(fd, chunk, 0, chunk.length, null);
    if (got === 0) break;
    total += got;
    if (total > max && over) over();
    chunks.push(chunk.subarray(0, got));
  }
  return Buffer.concat(chunks, total);
}

export function readRegularTextSync(path: string): string {
  return readRegularFileSync(path).toString('utf8');
}
