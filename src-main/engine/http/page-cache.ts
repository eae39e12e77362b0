import { createHash, createHmac, randomBytes, scrypt } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../../../shared/canonical-json';
import { taggedTempPath, touch } from '../storage/owner-tag';
import { readRegularFile, readRegularText } from '../host/regular-file';

/** What is kept of a page besides its body: how to ask for it again, and when it was fetched. */
export interface PageMeta {
  key: string;
  etag?: string;
  lastModified?: string;
  /** The answer's Link header, for a paginator that follows it. */
  link?: string;
  /** Milliseconds since the epoch. */
  fetchedAt: number;
  size: number;
  sha256: string;
}

export interface CachedPage {
  meta: PageMeta;
  body: Buffer;
}

/** Scrypt keys already derived in this process, by the material they were derived from (in memory only). */
const derivedKeys = new Map<string, Promise<Buffer>>();

function scryptKey(material: string, salt: Buffer): Promise<Buffer> {
  const id = createHash('sha256').update(salt).update('\0').update(material).digest('hex');
  let key = derivedKeys.get(id);
  if (!key) {
    key = new Promise<Buffer>((resolve, reject) => scrypt(material, salt, 32, { N: 1 << 14, r: 8, p: 1 }, (e, k) => (e ? reject(e) : resolve(k))));
    derivedKeys.set(id, key);
    // Bounded: a long designer session sees a few connections, not thousands.
    if (derivedKeys.size > 64) derivedKeys.delete(derivedKeys.keys().next().value as string);
  }
  return key;
}

/** The cache folder's random salt, made on first use (a race makes two; the one that stays wins). */
async function saltOf(dir: string): Promise<Buffer> {
  const path = join(dir, 'salt');
  const read = async () => Buffer.from((await readRegularText(path)).trim(), 'hex');
  try {
    const s = await read();
    if (s.length >= 16) return s;
  } catch {
    // not made yet
  }
  await mkdir(dir, { recursive: true });
  const tmp = taggedTempPath(path);
  await writeFile(tmp, randomBytes(32).toString('hex'));
  await rename(tmp, path);
  return read();
}

/**
 * Pages of http sources kept for conditional re-fetch (ETag / Last-Modified) and `cache_for`,
 * under `<cache>/http/`: `<key>.page.json` (validators, Link, when fetched, size and SHA-256; never a
 * URL or a credential) and `<key>.body` (the answer's bytes).
 *
 * A page's key is an HMAC of the request (method, URL, body) under a key derived with scrypt
 * from the run's environment and everything the request is sent with (every header value,
 * the resolved base URL): pages are never shared across environments or credentials, and no
 * file here holds a secret or a fast hash of one (the salt is random per cache folder).
 */
export class PageCache {
  private constructor(
    readonly dir: string,
    private readonly hmacKey: Buffer,
  ) {}

  /** `scope`: the environment and the request's credentials, as they are sent. */
  static async open(dir: string, scope: { environment: string; headers: Record<string, string>; base: string }): Promise<PageCache> {
    const salt = await saltOf(dir);
    return new PageCache(dir, await scryptKey(canonicalJson(scope), salt));
  }

  keyOf(method: string, url: URL, body: unknown): string {
    return createHmac('sha256', this.hmacKey)
      .update(canonicalJson({ method, url: url.href, body: body === undefined ? null : body }))
      .digest('hex');
  }

  private paths(key: string) {
    return { meta: join(this.dir, `${key}.page.json`), body: join(this.dir, `${key}.body`) };
  }

  async get(key: string): Promise<CachedPage | null> {
    const p = this.paths(key);
    try {
      const meta = JSON.parse(await readRegularText(p.meta)) as PageMeta;
      const body = await readRegularFile(p.body);
      if (meta.key !== key || createHash('sha256').update(body).digest('hex') !== meta.sha256) return null;
      await touch(p.meta);
      await touch(p.body);
      return { meta, body };
    } catch {
      return null;
    }
  }

  /** Stores a page; a cache that cannot be written is no reason to fail a run. */
  async put(meta: Omit<PageMeta, 'size' | 'sha256'>, body: Buffer): Promise<void> {
    const p = this.paths(meta.key);
    const full: PageMeta = { ...meta, size: body.length, sha256: createHash('sha256').update(body).digest('hex') };
    const tmps = [taggedTempPath(p.body), taggedTempPath(p.meta)];
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(tmps[0]!, body);
      await writeFile(tmps[1]!, JSON.stringify(full));
      // The body first: a reader finding new metadata finds its body (and checks its hash anyway).
      await rename(tmps[0]!, p.body);
      await rename(tmps[1]!, p.meta);
    } catch {
      await Promise.all(tmps.map((t) => rm(t, { force: true })));
    }
  }
}
