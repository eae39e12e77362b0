import { readdirSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LITTER_GRACE_MS } from '../storage/lake-litter';
import { scratchRoot } from '../sandbox/allowed-dirs';
import { OTHER_HOST_GRACE_MS, hostTag, pidAlive } from '../storage/owner-tag';
import { readRegularTextSync } from '../host/regular-file';
import { privatePath } from '../host/private-folder';

/**
 * Which runs of a workspace may still be working. Each run leaves a marker,
 * `.weir/live/<run id>.json` (host, pid, scratch root), before it creates anything
 * temporary; its temporary things are named by its run id. On this host a run lives while
 * its process does and its scratch folder (which exists exactly as long as its DuckDB
 * session: staging and publishing happen inside it) is there. Another host's run cannot be
 * asked: it counts as alive for OTHER_HOST_GRACE_MS after it started (run ids begin with
 * their start time).
 */

export interface RunMarker {
  runId: string;
  host: string;
  pid: number;
  /** Where the run's scratch folder is (the temp folder can differ between processes). */
  scratchRoot: string;
  startedAt: string;
}

export type RunState = 'current' | 'alive' | 'dead' | 'unknown';

/** A run starting: its marker is written, then its session made; in between it has no scratch folder yet. */
const STARTING_MS = 60_000;

export function liveDir(workspaceRoot: string): string {
  return privatePath(workspaceRoot, 'live');
}

/** The start time in a run id (`20261126T012233.123Z-3f9a1c`), or null when it is not one. */
export function runIdTime(runId: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z-/.exec(runId);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
  return Number.isNaN(t) ? null : t;
}

/** Written as a run starts, before it stages anything. */
export async function writeRunMarker(workspaceRoot: string, runId: string): Promise<string> {
  const dir = liveDir(workspaceRoot);
  await mkdir(dir, { recursive: true });
  const marker: RunMarker = { runId, host: hostTag(), pid: process.pid, scratchRoot: scratchRoot(), startedAt: new Date().toISOString() };
  const path = join(dir, `${runId}.json`);
  await writeFile(path, JSON.stringify(marker));
  return path;
}

/** A run's marker, or null when there is none or it cannot be read (killed while writing it: the run id's time decides). */
function readMarker(dir: string, runId: string): RunMarker | null {
  try {
    const m = JSON.parse(readRegularTextSync(join(dir, `${runId}.json`))) as RunMarker;
    return m && m.runId === runId ? m : null;
  } catch {
    return null;
  }
}

/** True when the run's scratch folder (`<run id>-w<host>-<pid>-XXXXXX`) exists under its scratch root. */
function hasScratch(m: RunMarker): boolean {
  try {
    return readdirSync(m.scratchRoot).some((n) => n.startsWith(`${m.runId}-`));
  } catch {
    return false;
  }
}

export interface RunLiveness {
  /** What is known of a run: the current one, alive, dead (its litter may go), unknown (kept). */
  state(runId: string): RunState;
  /** Runs whose markers say they may be working (the current one included). */
  alive(): string[];
  /** Removes the markers of runs that are over and older than the lake grace period (they are no longer needed to tell). */
  forgetEnded(): Promise<string[]>;
}

/**
 * What the markers of a workspace say, read as questions come (a run's start asks only about
 * the runs whose litter it finds). `currentRunIds` are never litter (the run that asks, and,
 * for `weir gc`, none).
 */
export async function runLiveness(workspaceRoot: string, currentRunIds: readonly string[] = [], now = Date.now()): Promise<RunLiveness> {
  const dir = liveDir(workspaceRoot);
  const names = await readdir(dir).catch(() => [] as string[]);
  const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length));
  const markers = new Map<string, RunMarker | null>();
  const markerOf = (runId: string): RunMarker | null => {
    if (!markers.has(runId)) markers.set(runId, readMarker(dir, runId));
    return markers.get(runId)!;
  };
  const current = new Set(currentRunIds);
  const memo = new Map<string, RunState>();
  const age = (runId: string): number | null => {
    const t = runIdTime(runId);
    return t === null ? null : now - t;
  };
  const decide = (runId: string): RunState => {
    if (current.has(runId)) return 'current';
    const m = markerOf(runId);
    if (m && m.host === hostTag()) {
      if (!pidAlive(m.pid)) return 'dead';
      if (hasScratch(m)) return 'alive';
      // The process lives (the desktop, a server) but the run's session is over, unless it is just starting.
      const started = Date.parse(m.startedAt);
      return Number.isFinite(started) && now - started < STARTING_MS ? 'alive' : 'dead';
    }
    const a = age(runId);
    // Another host's run, or one without a (readable) marker: only its age can tell.
    if (a !== null && a >= OTHER_HOST_GRACE_MS) return 'dead';
    return m ? 'alive' : 'unknown';
  };
  const state = (runId: string): RunState => {
    let s = memo.get(runId);
    if (!s) {
      s = decide(runId);
      memo.set(runId, s);
    }
    return s;
  };
  return {
    state,
    alive: () => [...new Set([...current, ...ids.filter((id) => state(id) === 'alive')])],
    async forgetEnded() {
      const gone: string[] = [];
      for (const id of ids) {
        // Younger than the lake's grace period: still needed to tell that its run died (markers are not read).
        const a = age(id);
        if (a !== null && a < LITTER_GRACE_MS) continue;
        // Over on this host, another host's after a day; an unreadable one too once its run is a day old.
        if (state(id) !== 'dead') continue;
        await rm(join(dir, `${id}.json`), { force: true });
        gone.push(id);
      }
      return gone;
    },
  };
}
