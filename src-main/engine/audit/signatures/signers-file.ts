import { join } from 'node:path';
import { jsonPath, WeirError } from '../../../../shared/errors';
import { SIGNERS_FILE, signersFileV1, type SignersFile } from '../../../../shared/gxp/signers';
import type { Environment } from '../../context';
import { git } from '../../git/git-cli';
import { readRegularText } from '../../host/regular-file';

/** signers.json of a workspace, checked against its schema; null when the workspace has none. */
export async function readSignersFile(root: string): Promise<SignersFile | null> {
  let text: string;
  try {
    text = await readRegularText(join(root, SIGNERS_FILE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  return parseSignersText(text, SIGNERS_FILE);
}

export function parseSignersText(text: string, where: string): SignersFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new WeirError('invalid', `${where}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = signersFileV1.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const at = jsonPath(first.path);
    throw new WeirError('invalid', `${where}: ${at ? `${at}: ` : ''}${first.message}`);
  }
  const ids = new Set<string>();
  for (const s of parsed.data.signers) {
    if (ids.has(s.id)) throw new WeirError('invalid', `${where}: signer "${s.id}" is listed twice`);
    ids.add(s.id);
  }
  return parsed.data;
}

async function gitOut(env: Environment, cwd: string, args: string[]): Promise<string | null> {
  try {
    return (await git(env, cwd, args)).stdout;
  } catch {
    return null;
  }
}

/** signers.json as git knows it: whether it is tracked and clean, and its committed versions (newest first). */
export interface SignersHistory {
  /** False when the workspace is no git repository (or git is missing). */
  inGit: boolean;
  versions: { commit: string; committedAt: string }[];
  /** The working file differs from HEAD, or is not committed at all. */
  dirty: boolean;
}

export async function signersHistory(env: Environment, root: string): Promise<SignersHistory> {
  const top = await gitOut(env, root, ['rev-parse', '--show-toplevel']);
  if (top === null) return { inGit: false, versions: [], dirty: false };
  const log = (await gitOut(env, root, ['log', '--format=%H %cI', '--', SIGNERS_FILE])) ?? '';
  const versions = log
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [commit, committedAt] = l.split(' ');
      return { commit: commit!, committedAt: committedAt! };
    });
  const status = await gitOut(env, root, ['status', '--porcelain', '--untracked-files=all', '--', SIGNERS_FILE]);
  return { inGit: true, versions, dirty: status === null || status.trim().length > 0 };
}

/** signers.json as committed in `commit`. */
export async function signersAtCommit(env: Environment, root: string, commit: string): Promise<SignersFile> {
  const text = await gitOut(env, root, ['show', `${commit}:./${SIGNERS_FILE}`]);
  if (text === null) throw new WeirError('invalid', `${SIGNERS_FILE} at commit ${commit.slice(0, 12)} cannot be read`);
  return parseSignersText(text, `${SIGNERS_FILE} at commit ${commit.slice(0, 12)}`);
}

/**
 * The list of signers in force at `at`: in a git repository with committed versions of
 * signers.json, the newest version committed at or before that time (a signer added later
 * does not count, one removed later still does); otherwise the current file, whose
 * validFrom/validTo say the rest.
 */
export async function signersAsOf(
  env: Environment,
  root: string,
  at: string,
  history: SignersHistory,
  cache: Map<string, SignersFile>,
): Promise<{ file: SignersFile | null; source: string }> {
  if (history.inGit && history.versions.length) {
    const t = Date.parse(at);
    const v = history.versions.find((x) => Date.parse(x.committedAt) <= t);
    if (!v) return { file: null, source: `${SIGNERS_FILE} had no committed version yet` };
    let file = cache.get(v.commit);
    if (!file) {
      file = await signersAtCommit(env, root, v.commit);
      cache.set(v.commit, file);
    }
    return { file, source: `${SIGNERS_FILE} at commit ${v.commit.slice(0, 12)}` };
  }
  let file = cache.get('');
  if (file === undefined) {
    const current = await readSignersFile(root);
    if (current) cache.set('', current);
    file = current ?? undefined;
  }
  return { file: file ?? null, source: `${SIGNERS_FILE} (current file; not in git)` };
}
