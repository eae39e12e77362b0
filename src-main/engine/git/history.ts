import type { Environment } from '../context';
import { git } from './git-cli';
import { headCommit, openRepoFor } from './repo';

export interface HistoryEntry {
  commit: string;
  shortCommit: string;
  author: { name: string; email: string };
  /** Author date, ISO 8601 with the author's offset. */
  date: string;
  subject: string;
  body: string;
  /** The file's path in the repository at that commit (it may have been renamed since). */
  path: string;
}

const FIELDS = ['%H', '%h', '%an', '%ae', '%aI', '%s', '%b'];

/** The commits that touched one pipeline file, newest first, following renames. */
export async function pipelineHistory(env: Environment, file: string, opts: { limit?: number } = {}): Promise<HistoryEntry[]> {
  const { repo, path } = await openRepoFor(env, file);
  if (!(await headCommit(repo))) return [];
  const args = ['log', '--no-ext-diff', '--no-textconv', '--follow', `--format=%x1e${FIELDS.join('%x1f')}%x1f`, '--name-only', '-z'];
  if (opts.limit) args.push(`--max-count=${Math.max(1, Math.floor(opts.limit))}`);
  const run = await git(repo.env, repo.root, [...args, '--', `:(literal)${path}`]);
  return run.stdout
    .split('\x1e')
    .filter((r) => r.trim())
    .map((record) => {
      const [commit = '', shortCommit = '', name = '', email = '', date = '', subject = '', body = '', names = ''] = record.split('\x1f');
      const pathThen = names.split(/[\0\n]/).filter(Boolean)[0] ?? path;
      return { commit, shortCommit, author: { name, email }, date, subject, body: body.trim(), path: pathThen };
    });
}
