import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { WeirError } from '../../shared/errors';

/** An existing folder named by absolute path: the workspace every other call is relative to. */
export function workspaceRoot(root: string): string {
  if (!isAbsolute(root)) throw new WeirError('usage', `workspace folder must be an absolute path, got "${root}"`);
  const abs = resolve(root);
  if (!existsSync(abs)) throw new WeirError('invalid', `${abs}: no such folder`);
  if (!statSync(abs).isDirectory()) throw new WeirError('invalid', `${abs}: is a file, expected a workspace folder`);
  return abs;
}

/** A path inside the workspace; the contract already refuses `..`, this is the second lock. */
export function insideWorkspace(root: string, rel: string): string {
  const abs = resolve(join(root, ...rel.split('/')));
  const back = relative(root, abs);
  if (back === '' || back.startsWith('..') || isAbsolute(back) || back.split(sep).includes('..')) {
    throw new WeirError('usage', `"${rel}" is outside the workspace ${root}`);
  }
  return abs;
}

/** The workspace-relative form the API speaks, with forward slashes. */
export function toWorkspacePath(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

/** Whether `child` is `parent` or inside it; both absolute and already resolved. */
export function isWithin(parent: string, child: string): boolean {
  if (child === parent) return true;
  return child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/**
 * `abs` with every symbolic link resolved. A path that does not exist yet (a file about to
 * be written) is its nearest existing folder, resolved, with the rest appended; a link that
 * points at nothing is refused, since writing through it would create its target wherever
 * that is.
 */
export function realPath(abs: string): string {
  const rest: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      return join(realpathSync(cur), ...rest.reverse());
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new WeirError('invalid', `${cur}: cannot be resolved (${code ?? (e as Error).message})`);
      if (lstatSync(cur, { throwIfNoEntry: false })?.isSymbolicLink()) throw new WeirError('usage', `${cur} is a symbolic link to nothing`);
      const up = dirname(cur);
      if (up === cur) return abs;
      rest.push(basename(cur));
      cur = up;
    }
  }
}
