import { crc32, deflateRawSync } from 'node:zlib';
import { WeirError } from '../../../../shared/errors';

/**
 * A deterministic .zip (PKWARE APPNOTE 6.3, no ZIP64) written with Node's zlib alone: entries
 * in the order given, every entry deflated at level 9, a fixed time (1980-01-01 00:00, the
 * DOS epoch), UTF-8 names, Unix mode 0644, no extra fields, no comment. The same files give
 * the same bytes (with the same zlib: Node bundles one). Evidence packages are small: a
 * package whose zip would need ZIP64 (4 GiB, 65,535 entries) is refused, not written wrong.
 */
export interface ZipFile {
  /** Relative, forward slashes. */
  path: string;
  body: Buffer;
}

const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const VERSION = 20; // 2.0: deflate
const MADE_BY = (3 << 8) | VERSION; // Unix, so the mode below is read
const FLAG_UTF8 = 0x0800;
const DEFLATE = 8;
const MODE_FILE = 0o100644;
const LIMIT = 0xffffffff;

export function zipFiles(files: readonly ZipFile[]): Buffer {
  if (files.length > 0xffff) throw new WeirError('usage', `a zip of ${files.length} files needs ZIP64, which is not written: give a folder`);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.path, 'utf8');
    const data = deflateRawSync(f.body, { level: 9 });
    if (f.body.length >= LIMIT || data.length >= LIMIT || offset >= LIMIT) throw new WeirError('usage', `${f.path}: a zip this large needs ZIP64, which is not written: give a folder`);
    const crc = crc32(f.body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(FLAG_UTF8, 6);
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(f.body.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY, 4);
    central.writeUInt16LE(VERSION, 6);
    central.writeUInt16LE(FLAG_UTF8, 8);
    central.writeUInt16LE(DEFLATE, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(f.body.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal attributes: 0
    central.writeUInt32LE((MODE_FILE << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  if (offset + directory.length >= LIMIT) throw new WeirError('usage', 'a zip this large needs ZIP64, which is not written: give a folder');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
