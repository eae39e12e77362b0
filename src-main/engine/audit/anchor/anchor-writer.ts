import type { Environment } from '../../context';
import { startGit, type GitProcess } from '../../git/git-cli';
import { readAuditConfig } from './config';
import { ANCHOR_FORMAT, ANCHOR_IDENTITY, ANCHOR_REF, anchorCommitMessage, safeGit, SAFE_GIT_CONFIG, writeGitAnchor, type AnchorRepo, type GitAnchor } from './git-anchor';

/**
 * The git anchor of one run, written by a git started as the run starts. A git forked at the
 * end, by a process then holding the run's DuckDB catalog, costs about 80 ms of forking per
 * GiB of it (bench figure 1); the plumbing (rev-parse, commit-tree, update-ref) forked three
 * or four. So the run starts one `git fast-import` while it is small, and at the end feeds it
 * the anchor commit: the same commit `writeGitAnchor` makes (the empty tree, the anchor ref's
 * last commit as parent, the same identity and message; byte for byte, given the same time),
 * on the same ref. fast-import updates the ref only if its value then is an ancestor of the
 * new commit, which it is unless another anchor moved it meanwhile; in that case, or if git
 * failed in any way, the anchor is written the old way (`writeGitAnchor`), whose failure is
 * reported as before.
 */
export interface AnchorWriter {
  /** Resolves once the git is started (or it is known that none is needed): before the first node runs. */
  readonly ready: Promise<void>;
  write(env: Environment, workspaceRoot: string, head: Omit<GitAnchor, 'format' | 'version' | 'workspace'>): Promise<GitAnchor | null>;
  /** Ends the git if no anchor was written (a failed or cancelled run, an entry that moves no anchor). */
  close(): void;
}

interface Started {
  repo: NonNullable<AnchorRepo>;
  /** Whether the anchor ref had a commit when the run started: fast-import is told to build on it. */
  hadAnchor: boolean;
  git: GitProcess | null;
}

export function startAnchorWriter(env: Environment, workspaceRoot: string, repo: Promise<AnchorRepo>): AnchorWriter {
  const started: Promise<Started | null> = (async () => {
    const r = await repo;
    if (!r) return null;
    // A workspace whose weir.audit.json turns the git anchor off starts no git (a bad file: the append says so).
    const enabled = await readAuditConfig(workspaceRoot).then((c) => c.git.enabled, () => false);
    if (!enabled) return { repo: r, hadAnchor: false, git: null };
    const last = await safeGit(env, r.top, ['rev-parse', '-q', '--verify', `${ANCHOR_REF}^{commit}`], { okCodes: [1] });
    const git = await startGit({ ...env, ...ANCHOR_IDENTITY }, r.top, ['fast-import', '--quiet'], { config: SAFE_GIT_CONFIG });
    return { repo: r, hadAnchor: last.stdout.trim() !== '', git };
  })().catch(() => null);
  let taken = false;
  const take = async (): Promise<Started | null> => {
    const s = await started;
    if (!s?.git || taken) return s && { ...s, git: null };
    taken = true;
    return s;
  };
  return {
    ready: started.then(() => undefined),
    async write(env2, root, head) {
      const s = await take();
      if (!s) return writeGitAnchor(env2, root, head, repo);
      const anchor: GitAnchor = { format: ANCHOR_FORMAT, version: 1, workspace: s.repo.workspace, ...head };
      if (s.git) {
        try {
          await s.git.finish(fastImportStream(anchor, s.hadAnchor));
          return anchor;
        } catch {
          // Another anchor moved the ref since the run started, or git failed: the old way says which.
        }
      }
      return writeGitAnchor(env2, root, head, Promise.resolve(s.repo));
    },
    close() {
      void take().then((s) => s?.git?.finish('')).catch(() => {});
    },
  };
}

/** One commit on the anchor ref, as `commit-tree` + `update-ref` would make it; nothing else. */
export function fastImportStream(anchor: GitAnchor, hadAnchor: boolean): string {
  const at = Date.parse(anchor.at);
  const who = `${ANCHOR_IDENTITY.GIT_COMMITTER_NAME} <${ANCHOR_IDENTITY.GIT_COMMITTER_EMAIL}> ${Math.floor(at / 1000)} ${gitTimezone(new Date(at))}`;
  const message = Buffer.from(anchorCommitMessage(anchor), 'utf8');
  return [
    `commit ${ANCHOR_REF}`,
    `author ${who}`,
    `committer ${who}`,
    `data ${message.length}`,
    message.toString('utf8'),
    // `^0`: the ref's commit as fast-import reads it then (under the audit log's lock).
    ...(hadAnchor ? [`from ${ANCHOR_REF}^0`] : []),
    // The empty tree, whatever the parent's tree was.
    'deleteall',
    '',
  ].join('\n');
}

/** `+HHMM` / `-HHMM` of this process's local time zone at `d`, as git writes it. */
export function gitTimezone(d: Date): string {
  const east = -d.getTimezoneOffset();
  const abs = Math.abs(east);
  return `${east < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}
