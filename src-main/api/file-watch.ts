import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { WorkspaceChange } from '../../shared/api/schemas';
import { readRegularFile, readRegularTextSync, readTextFile } from '../engine';
import { toWorkspacePath } from './paths';
import { sha256 } from './pipeline-text';
import { findPipelineFiles } from './workspace';

/** What a scan compares: a file whose stat is the same is not read again. */
interface Known {
  signature: string;
  sha256: string;
}

export interface WatchOptions {
  /** The slow safety net: every this long the whole workspace is looked at again. */
  pollMs?: number;
  /** Events of one burst (git checkout writes many files) are looked at together after this long. */
  settleMs?: number;
  /** False: poll only (a file system whose events do not arrive, and the test of the poll). */
  fsWatch?: boolean;
}

const signatureOf = (s: { mtimeMs: number; size: number; ino: number }) => `${s.mtimeMs}:${s.size}:${s.ino}`;

/** The sha256 the API gives a pipeline file (pipeline.read: its text as the reader decodes it); raw bytes when it is no readable text. */
async function hashOf(abs: string, path: string): Promise<string> {
  try {
    return sha256((await readTextFile(abs, 'pipeline file', path)).text);
  } catch {
    return sha256((await readRegularFile(abs)).toString('latin1'));
  }
}

/** The file git rewrites whenever HEAD moves (a commit, checkout, reset, merge, pull) and `git status` never touches. */
function headLogOf(root: string): string | null {
  for (let dir = root; ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    if (existsSync(dotGit)) {
      try {
        if (statSync(dotGit).isDirectory()) return join(dotGit, 'logs', 'HEAD');
        // A worktree or submodule: `.git` is a file naming the real folder.
        const m = /^gitdir:\s*(.+)\s*$/m.exec(readRegularTextSync(dotGit));
        return m ? join(m[1]!.startsWith('/') ? m[1]! : join(dir, m[1]!), 'logs', 'HEAD') : null;
      } catch {
        return null;
      }
    }
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Notices pipeline files of the open workspace changed outside the app (git checkout, pull,
 * another editor) and reports them as `workspace.changed` over the event channel, with each
 * file's new hash, so that the designer can mark the open one and refresh the sidebar.
 *
 * fs.watch on each folder that holds pipelines (not on the files: git and editors replace a
 * file by renaming another over it, which a watch on the file itself loses) tells within a
 * moment; a slow poll of the same scan is the safety net where fs.watch says nothing (network
 * and some container file systems). Either only starts a scan; the scan decides, by stat and
 * then by hash, so a touch or an event for another file reports nothing. The service's own
 * writes are announced first (`expect`) and not reported.
 */
export class PipelineWatcher {
  private root: string | null = null;
  private known = new Map<string, Known>();
  private headLog: { file: string; signature: string | null } | null = null;
  private folders = new Map<string, FSWatcher>();
  private poll: ReturnType<typeof setInterval> | null = null;
  private settle: ReturnType<typeof setTimeout> | null = null;
  private scanning: Promise<void> | null = null;
  /** A scan was asked for while one ran (and whether it is to report what it finds). */
  private again: { report: boolean } | null = null;
  private readonly pollMs: number;
  private readonly settleMs: number;
  private readonly fsWatch: boolean;

  constructor(
    private readonly emit: (payload: { root: string; changes: WorkspaceChange[]; git: boolean }) => void,
    opts: WatchOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 2000;
    this.settleMs = opts.settleMs ?? 120;
    this.fsWatch = opts.fsWatch ?? true;
  }

  /** Watches `root` (the open workspace) from now on; the one before is let go. The same root again changes nothing. */
  async watch(root: string): Promise<void> {
    if (this.root === resolve(root)) return;
    this.close();
    root = resolve(root);
    this.root = root;
    const log = headLogOf(root);
    this.headLog = log ? { file: log, signature: null } : null;
    await this.scan(false);
    if (this.root !== root) return;
    this.poll = setInterval(() => this.request(), this.pollMs);
    this.poll.unref?.();
  }

  /** The service is about to write `path` with this hash: a scan that finds it so reports nothing. */
  expect(root: string, path: string, hash: string): void {
    if (resolve(root) !== this.root) return;
    // No signature: the next scan reads the file and, finding this hash, only records its stat.
    this.known.set(path, { signature: '', sha256: hash });
  }

  /** Looks at the workspace again now (the service wrote a file whose hash it did not know beforehand). */
  async settleNow(root: string): Promise<void> {
    if (resolve(root) !== this.root) return;
    await this.scan(false);
  }

  close(): void {
    this.root = null;
    this.known = new Map();
    this.headLog = null;
    for (const w of this.folders.values()) w.close();
    this.folders.clear();
    if (this.poll) clearInterval(this.poll);
    if (this.settle) clearTimeout(this.settle);
    this.poll = null;
    this.settle = null;
  }

  /** A scan soon; several requests in a burst make one. */
  private request(): void {
    if (this.settle) return;
    this.settle = setTimeout(() => {
      this.settle = null;
      void this.scan(true);
    }, this.settleMs);
    this.settle.unref?.();
  }

  /** One scan at a time; one asked for meanwhile runs after it. */
  private async scan(report: boolean): Promise<void> {
    if (this.scanning) {
      this.again = { report: report || (this.again?.report ?? false) };
      return this.scanning;
    }
    this.scanning = this.scanOnce(report).finally(() => {
      this.scanning = null;
    });
    await this.scanning;
    const next = this.again;
    this.again = null;
    if (next) await this.scan(next.report);
  }

  private async scanOnce(report: boolean): Promise<void> {
    const root = this.root;
    if (!root) return;
    // The folder itself is gone (deleted, unmounted): nothing left to watch until it is opened again.
    if (!existsSync(root)) return this.close();
    const files = await findPipelineFiles(root);
    if (root !== this.root) return;
    const changes: WorkspaceChange[] = [];
    const seen = new Set<string>();
    for (const abs of files) {
      const path = toWorkspacePath(root, abs);
      seen.add(path);
      let signature: string;
      try {
        signature = signatureOf(await stat(abs));
      } catch {
        continue; // gone between the listing and now: the next scan says so
      }
      const before = this.known.get(path);
      if (before && before.signature === signature) continue;
      let hash: string;
      try {
        hash = await hashOf(abs, path);
      } catch {
        continue;
      }
      if (root !== this.root) return;
      this.known.set(path, { signature, sha256: hash });
      if (!before || before.sha256 !== hash) changes.push({ path, sha256: hash });
    }
    for (const path of [...this.known.keys()]) {
      if (seen.has(path)) continue;
      this.known.delete(path);
      changes.push({ path, sha256: null });
    }
    const git = this.headMoved();
    if (this.fsWatch) this.watchFolders(root, files);
    if (report && (changes.length || git)) this.emit({ root, changes, git });
  }

  private headMoved(): boolean {
    if (!this.headLog) return false;
    let signature: string | null = null;
    try {
      signature = signatureOf(statSync(this.headLog.file));
    } catch {
      signature = null;
    }
    const moved = signature !== this.headLog.signature;
    this.headLog.signature = signature;
    return moved;
  }

  /** A watch on the root and on every folder that holds a pipeline; folders no longer among them are let go. */
  private watchFolders(root: string, files: string[]): void {
    const wanted = new Set([root, ...files.map((f) => dirname(f))]);
    if (this.headLog) wanted.add(dirname(this.headLog.file));
    for (const [dir, w] of this.folders) {
      if (wanted.has(dir)) continue;
      w.close();
      this.folders.delete(dir);
    }
    for (const dir of wanted) {
      if (this.folders.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, () => this.request());
        // A folder removed under the watch: the poll still looks, and the next scan watches again.
        w.on('error', () => {
          w.close();
          this.folders.delete(dir);
        });
        this.folders.set(dir, w);
      } catch {
        // Not watchable (gone, or out of inotify watches): the poll covers it.
      }
    }
  }
}
