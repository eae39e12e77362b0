import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WeirError } from '../../../../shared/errors';
import { parseKeyFile, type KeyFile, type KeyWrapper } from './key-file';

/**
 * Where signers' key files live: a folder of the user's (settings.signerKeyDir: the user's
 * config dir, never the workspace), one `<signer id>.key.json` each, readable by its owner only.
 * A `KeyWrapper` (the desktop's keychain) wraps the file's bytes; it is then `<id>.key.wrapped`.
 */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const usable = (w: KeyWrapper | undefined): KeyWrapper | undefined => (w?.available() ? w : undefined);

function keyPath(dir: string, signerId: string, wrapper?: KeyWrapper): string {
  if (!ID.test(signerId)) throw new WeirError('usage', `signer id "${signerId}": expected letters, digits, ".", "_" or "-" (up to 64)`);
  return join(dir, `${signerId}${wrapper ? '.key.wrapped' : '.key.json'}`);
}

export async function saveKeyFile(dir: string, f: KeyFile, given?: KeyWrapper): Promise<string> {
  const wrapper = usable(given);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = keyPath(dir, f.signerId, wrapper);
  const text = JSON.stringify(f, null, 2) + '\n';
  try {
    // 'wx': never overwrite a signer's existing key (it would orphan every signature made with it).
    await writeFile(path, wrapper ? wrapper.wrap(Buffer.from(text)) : text, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new WeirError('usage', `signer "${f.signerId}" already has a key file (${path}); a new key needs a new signer id`);
    throw e;
  }
  await chmod(path, 0o600);
  return path;
}

async function readIfThere(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** A signer's key file: the keychain-wrapped one when a wrapper is given and has it, else the plain one (made by `weir signer init`). */
export async function loadKeyFile(dir: string, signerId: string, given?: KeyWrapper): Promise<KeyFile> {
  const wrapper = usable(given);
  const wrapped = wrapper ? await readIfThere(keyPath(dir, signerId, wrapper)) : null;
  const path = wrapped ? keyPath(dir, signerId, wrapper) : keyPath(dir, signerId);
  const bytes = wrapped ?? (await readIfThere(path));
  if (!bytes) throw new WeirError('usage', `no key file for signer "${signerId}" in ${dir} (create one with "weir signer init")`);
  const text = wrapped && wrapper ? wrapper.unwrap(wrapped).toString('utf8') : bytes.toString('utf8');
  const f = parseKeyFile(text, path);
  if (f.signerId !== signerId) throw new WeirError('invalid', `${path} holds the key of signer "${f.signerId}", not "${signerId}"`);
  return f;
}

/** The signer ids that have a key file here. */
export async function keyFileIds(dir: string, given?: KeyWrapper): Promise<string[]> {
  const wrapper = usable(given);
  const suffixes = wrapper ? ['.key.wrapped', '.key.json'] : ['.key.json'];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const ids = names.flatMap((n) => suffixes.filter((x) => n.endsWith(x)).map((x) => n.slice(0, -x.length)));
  return [...new Set(ids)].filter((id) => ID.test(id)).sort();
}
