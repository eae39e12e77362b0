import { execFile } from 'node:child_process';
import type { Environment } from '../context';

/**
 * A repository's own configuration (`.git/config`, which travels with a copied or unzipped
 * workspace, never with a clone) can name commands that git runs on its own during the calls
 * Weir makes by itself: `core.fsmonitor` on every status, a filter driver's `clean` /
 * `process` whenever git compares the working tree, a diff driver's `textconv` or
 * `diff.external` on a diff. Opening a workspace must never run a command from it, so every
 * call Weir makes turns these off for that call (`-c`, nothing written): the monitor, and each
 * filter driver the configuration defines (Weir only reads and writes pipeline files, which no
 * filter such as Git LFS should hold). Diffs add `--no-ext-diff --no-textconv` themselves.
 *
 * A commit the user asks for still runs the repository's hooks, as `git commit` in their
 * terminal would (docs/git.md, docs/security.md).
 */
export async function commandGuardArgs(env: Environment, cwd: string, command: string | undefined): Promise<string[]> {
  const off = ['-c', 'core.fsmonitor=false'];
  // Only these compare the working tree with the index (where filters run); the rest of Weir's
  // calls (rev-parse, cat-file, log, the audit anchor's plumbing) need no extra process for it.
  if (!command || !COMPARES_WORK_TREE.has(command)) return off;
  return [...off, ...filterOverrides(await filterDriverNames(env, cwd))];
}

const COMPARES_WORK_TREE = new Set(['status', 'add', 'commit', 'diff']);

/** The configured `filter.<driver>.<key>` names, NUL-separated ('' when none). */
function filterDriverNames(env: Environment, cwd: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.fsmonitor=false', 'config', '--null', '--name-only', '--get-regexp', '^filter\\.'],
      { cwd, encoding: 'utf8', env: { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' } },
      // Exit code 1 is "no such keys" (and outside a repository, only global keys): both are answers.
      (_err, stdout) => resolve(stdout ?? ''),
    );
  });
}

/** `filter.<driver>.<key>` names (NUL-separated) → `-c` settings that leave each driver without a command. */
export function filterOverrides(names: string): string[] {
  const drivers = new Set<string>();
  for (const name of names.split('\0')) {
    const m = /^filter\.(.+)\.[^.]+$/s.exec(name.trim());
    if (m) drivers.add(m[1]!);
  }
  return [...drivers].flatMap((d) => [
    '-c', `filter.${d}.clean=`,
    '-c', `filter.${d}.smudge=`,
    '-c', `filter.${d}.process=`,
    '-c', `filter.${d}.required=false`,
  ]);
}
