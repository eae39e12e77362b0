import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { realPathOf } from './real-path';
import { WeirError } from '../../../shared/errors';
import { PreconditionFailed, type ListOptions, type ObjectInfo, type ObjectStore, type PutOptions, type TransferOptions } from './object-store';
import { cancelled } from './retry';
import { readRegularFile } from '../host/regular-file';

function etagOf(st: { size: number; mtimeMs: number }): string {
  return `"${Math.trunc(st.mtimeMs)}-${st.size}"`;
}

/**
 * A local folder as a lake: the default for `dev` and for new users, with the same layout
 * (keys are relative paths with `/`) and the same atomic publishing as a bucket.
 */
export class FolderObjectStore implements ObjectStore {
  readonly kind = 'folder' as const;
  readonly scope: string;

  constructor(
    readonly connection: string,
    readonly root: string,
  ) {
    this.scope = `file://${root}`;
  }

  localPath(key: string): string {
    const p = resolve(this.root, ...key.split('/'));
    if (p !== this.root && !p.startsWith(this.root + sep)) {
      throw new WeirError('invalid', `connection "${this.connection}": "${key}" is outside the folder`);
    }
    // A symlink inside the folder must not lead out of it (what it really is, is what is read).
    const real = realPathOf(p);
    const realRoot = realPathOf(this.root);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) {
      throw new WeirError('invalid', `connection "${this.connection}": "${key}" leads outside the folder (to ${real})`);
    }
    return p;
  }

  uri(key: string): string {
    return pathToFileURL(this.localPath(key)).href;
  }

  private missingFolder(): WeirError {
    return new WeirError('connection', `connection "${this.connection}": folder "${this.root}" does not exist`);
  }

  async list(prefix: string, o: ListOptions = {}): Promise<ObjectInfo[]> {
    if (!existsSync(this.root)) throw this.missingFolder();
    // Walk only the folder the prefix names; a prefix may also end inside a file name.
    const slash = prefix.lastIndexOf('/');
    const start = slash >= 0 ? prefix.slice(0, slash + 1) : '';
    const out: ObjectInfo[] = [];
    const walk = async (rel: string) => {
      if (o.signal?.aborted) throw cancelled();
      let entries;
      try {
        entries = await readdir(this.localPath(rel || '.'), { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
      for (const e of entries) {
        const key = `${rel}${e.name}`;
        if (e.isDirectory()) {
          if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(`${key}/`);
        } else if (e.isFile() && key.startsWith(prefix) && (o.partial || !/\.weir-tmp-[0-9a-f]+$/.test(e.name))) {
          const st = await stat(this.localPath(key));
          out.push({ key, size: st.size, etag: etagOf(st), modifiedMs: st.mtimeMs });
        }
      }
    };
    await walk(start);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async getBytes(key: string): Promise<{ body: Buffer; info: ObjectInfo } | null> {
    try {
      const path = this.localPath(key);
      const body = await readRegularFile(path);
      return { body, info: { key, size: body.length, etag: etagOf(await stat(path)) } };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Written beside the target and renamed: readers see the old file or the new one. */
  private async place(key: string, write: (tmp: string) => Promise<void>, o: PutOptions): Promise<ObjectInfo> {
    if (o.signal?.aborted) throw cancelled();
    if (!existsSync(this.root)) throw this.missingFolder();
    const target = this.localPath(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.weir-tmp-${randomBytes(4).toString('hex')}`;
    try {
      await write(tmp);
      if (o.signal?.aborted) throw cancelled();
      // Checked just before the rename: a file system has no compare-and-swap rename, so two
      // writers racing within this instant are not told apart.
      if (o.ifMatch !== undefined && (await this.currentEtag(target)) !== o.ifMatch) throw new PreconditionFailed(this.connection, key);
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    const st = await stat(target);
    return { key, size: st.size, etag: etagOf(st) };
  }

  private async currentEtag(path: string): Promise<string | null> {
    try {
      return etagOf(await stat(path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  putBytes(key: string, body: Buffer, o: PutOptions = {}): Promise<ObjectInfo> {
    return this.place(key, (tmp) => writeFile(tmp, body), o);
  }

  putFile(key: string, path: string, o: TransferOptions = {}): Promise<ObjectInfo> {
    return this.place(key, (tmp) => copyFile(path, tmp), o);
  }

  async download(info: ObjectInfo, dest: string): Promise<{ versionId?: string }> {
    await copyFile(this.localPath(info.key), dest);
    return {};
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const path = this.localPath(key);
      await rm(path, { force: true });
      // Tidy the folders a run left empty, never the root itself.
      for (let dir = dirname(path); dir.startsWith(this.root + sep); dir = dirname(dir)) {
        try {
          await rmdir(dir);
        } catch {
          break; // not empty
        }
      }
    }
  }
}

export function folderRoot(workspaceRoot: string, path: string): string {
  return resolve(workspaceRoot, path);
}

