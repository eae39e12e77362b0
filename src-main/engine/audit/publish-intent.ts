import { pidAlive } from '../host/identity';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { publishIntentFormat } from '../../../shared/run/formats';
import { RECONCILED_FORMAT, type IntentSink, type PublishIntentEntry, type ReconciledEntry } from '../../../shared/run/publish-entries';
import { readStored } from '../../../shared/run/versioned';
import type { Publication } from '../nodes/types';
import { describeOutput } from '../storage/tree-hash';
import { appendAuditRecord, auditDir, type AppendOptions } from './audit-log';
import { readRegularText } from '../host/regular-file';

/**
 * Every output explained (DESIGN, "Security"): just before a run publishes its first sink it
 * appends an intent entry to the audit trail (which sinks, where), and after the last one its
 * run record (the outcome). A run killed in between leaves an intent with no outcome; the
 * next run of the workspace finds it (an "open" marker file written before the intent) and
 * appends a reconciliation entry saying what was actually published. `weir audit verify`
 * reports an intent with neither as a run that died while publishing, not as tampering.
 */
export { INTENT_FORMAT, RECONCILED_FORMAT, type IntentSink, type PublishIntentEntry, type ReconciledEntry } from '../../../shared/run/publish-entries';

/** When staged sinks publish (run/publish-phase.ts): all together, or each healthy branch's. */
export type PublishMode = 'all' | 'partial';

/** What will be published, handed to the audit trail before the first commit (its intent entry). */
export interface PublishIntent {
  mode: PublishMode;
  sinks: { node: string; target: string; evidence: Publication['evidence'] }[];
}

function openDir(workspaceRoot: string): string {
  return join(auditDir(workspaceRoot), 'open');
}

/**
 * Records the intent: the open marker first (so a run killed during the append is still
 * found), then the audit entry. Throws when the audit trail cannot take it (damaged last
 * line, lock held too long): the run then publishes nothing.
 */
export async function recordIntent(workspaceRoot: string, intent: PublishIntentEntry, o: AppendOptions = {}): Promise<void> {
  await mkdir(openDir(workspaceRoot), { recursive: true });
  const marker = join(openDir(workspaceRoot), `${intent.runId}.json`);
  await writeFile(marker, `${JSON.stringify(intent, null, 2)}\n`);
  try {
    await appendAuditRecord(workspaceRoot, intent, o);
  } catch (e) {
    await rm(marker, { force: true });
    throw e;
  }
}

/** The outcome is in the trail: the run's intent is no longer open. */
export async function closeIntent(workspaceRoot: string, runId: string): Promise<void> {
  await rm(join(openDir(workspaceRoot), `${runId}.json`), { force: true });
}


/** A marker from another machine is only taken as dead after this long. */
const FOREIGN_STALE_MS = 24 * 3600_000;

async function wasPublished(s: IntentSink): Promise<{ published: boolean | 'unknown'; how: string }> {
  const ev = s.evidence;
  if (ev.kind === 'file') {
    if (!existsSync(ev.path)) return { published: false, how: 'the target does not exist' };
    try {
      const now = await describeOutput(ev.path);
      return now.sha256 === ev.sha256
        ? { published: true, how: 'the target holds exactly the staged output (same SHA-256)' }
        : { published: false, how: 'the target does not hold the staged output (different SHA-256)' };
    } catch (e) {
      return { published: 'unknown', how: `the target could not be read: ${(e as Error).message.split('\n')[0]}` };
    }
  }
  return { published: 'unknown', how: ev.how };
}

/**
 * Reconciles the open intents of runs that died (same host, process gone; or another host's,
 * a day old): appends what was found published and removes the marker. Returns the run ids
 * reconciled. Errors are left for the next run (an unreadable marker stays).
 */
export async function reconcileOpenIntents(workspaceRoot: string, byRun: string, o: AppendOptions & { now?: () => Date } = {}): Promise<string[]> {
  const now = o.now ?? (() => new Date());
  let names: string[];
  try {
    names = (await readdir(openDir(workspaceRoot))).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const done: string[] = [];
  for (const name of names) {
    const path = join(openDir(workspaceRoot), name);
    let intent: PublishIntentEntry;
    try {
      // Checked by its schema: a foreign or damaged marker is left alone, never acted on.
      intent = readStored(publishIntentFormat, JSON.parse(await readRegularText(path))).value;
    } catch {
      continue;
    }
    if (intent.runId === byRun) continue;
    const foreign = intent.host !== hostname();
    if (!foreign && pidAlive(intent.pid)) continue;
    if (foreign && now().getTime() - Date.parse(intent.at) < FOREIGN_STALE_MS) continue;
    const sinks = [];
    for (const s of intent.sinks) sinks.push({ node: s.node, target: s.target, ...(await wasPublished(s)) });
    const entry: ReconciledEntry = { format: RECONCILED_FORMAT, version: 1, runId: intent.runId, reconciledBy: byRun, sinks, at: now().toISOString() };
    await appendAuditRecord(workspaceRoot, entry, o);
    await rm(path, { force: true });
    done.push(intent.runId);
  }
  return done;
}
