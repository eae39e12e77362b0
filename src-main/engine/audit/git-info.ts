import { execFile } from 'node:child_process';
import { dirname, basename } from 'node:path';

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolvePromise) => {
    execFile('git', args, { cwd, timeout: 5000 }, (err, stdout) => resolvePromise(err ? null : stdout.trim()));
  });
}

/** The commit a pipeline file was run from, and whether the file differs from it. */
export async function gitInfo(file: string): Promise<{ commit: string | null; dirty: boolean | null }> {
  const cwd = dirname(file);
  const commit = await git(cwd, ['rev-parse', 'HEAD']);
  if (!commit) return { commit: null, dirty: null };
  const status = await git(cwd, ['status', '--porcelain', '--', basename(file)]);
  return { commit, dirty: status === null ? null : status.length > 0 };
}
