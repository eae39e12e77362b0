import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
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
