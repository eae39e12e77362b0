import { resolve } from 'node:path';
import type { Engine, PreviewSession } from '../engine';
import { isWithin } from './paths';

/** How long a pipeline's session stays open with nothing asked of it. */
export const PREVIEW_IDLE_MS = 5 * 60_000;

interface Entry {
  session: Promise<PreviewSession>;
  /** Requests using it now; the idle clock starts when the last one ends. */
  busy: number;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The designer's warm preview sessions, one per open pipeline file (engine/run/preview-session.ts):
 * previews, profiles and the SQL editor's column lookups of a file share its session. A
 * session is closed after `idleMs` without requests, when another workspace is opened, and
 * on dispose; the next request opens a new one.
 */
export class PreviewSessions {
  private readonly open = new Map<string, Entry>();

  constructor(
    private readonly engine: Engine,
    private readonly idleMs = PREVIEW_IDLE_MS,
  ) {}

  /** Runs `work` in the session of `file` (absolute), opened on first use. */
  async use<T>(file: string, work: (session: PreviewSession) => Promise<T>): Promise<T> {
    let entry = this.open.get(file);
    if (!entry || (await entry.session).isClosed) {
      entry = { session: this.engine.previewSession(file), busy: 0 };
      this.open.set(file, entry);
    }
    clearTimeout(entry.timer);
    entry.busy++;
    try {
      return await work(await entry.session);
    } finally {
      entry.busy--;
      if (entry.busy === 0 && this.open.get(file) === entry) {
        const idle = entry;
        idle.timer = setTimeout(() => void this.closeIf((f, e) => f === file && e === idle), this.idleMs);
        // An idle session must not keep a CLI server's process alive.
        idle.timer.unref?.();
      }
    }
  }

  /** The files with an open session. */
  get files(): string[] {
    return [...this.open.keys()];
  }

  /** Closes the sessions of files outside `root` (another workspace was opened). */
  keepOnly(root: string): Promise<void> {
    return this.closeIf((file) => !isWithin(resolve(root), file));
  }

  closeAll(): Promise<void> {
    return this.closeIf(() => true);
  }

  private async closeIf(which: (file: string, entry: Entry) => boolean): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [file, entry] of this.open) {
      if (!which(file, entry)) continue;
      clearTimeout(entry.timer);
      this.open.delete(file);
      // Closing waits for a request in flight; the caller cancels it first if it must not wait.
      closing.push(entry.session.then((s) => s.close()).catch(() => {}));
    }
    await Promise.all(closing);
  }
}
