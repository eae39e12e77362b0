import { WeirError } from '../../../shared/errors';
import type { RunEvent } from '../../../shared/run/events';
import type { NodeRecord, PublishingRecord } from '../../../shared/run/record';
import type { PublishIntent, PublishMode } from '../audit/publish-intent';
import type { Publication } from '../nodes/types';

/** A sink whose output a run staged, waiting for the publish phase. */
export interface StagedSink {
  record: NodeRecord;
  publication: Publication;
}

export interface PublishPhaseOptions {
  runId: string;
  mode: PublishMode;
  /** Staged sinks in the order the plan ran them (dependency order). */
  staged: StagedSink[];
  /** Another node failed, was skipped or a blocking check failed. */
  failed: boolean;
  /** The run was cancelled before its publish phase. */
  cancelled: boolean;
  /** Checked at each step: a cancel during the phase stops it after the commit in progress. */
  signal: AbortSignal;
  /**
   * Called once before the first commit: the audit trail checks it can append and records the
   * intent. Throwing refuses the publish phase (everything is discarded).
   */
  beforePublish?: (intent: PublishIntent) => Promise<void>;
  emit: (e: RunEvent) => void;
  warn: (nodeName: string, message: string) => void;
  /** The engine context's clock, for the events' times. */
  now: () => Date;
}

export interface PublishPhaseResult {
  publishing: PublishingRecord | null;
  /** Why publishing stopped, when it did not complete. */
  error: WeirError | null;
}

async function discardAll(sinks: readonly StagedSink[], warn: PublishPhaseOptions['warn']): Promise<void> {
  for (const s of sinks) {
    s.record.publish = 'discarded';
    try {
      await s.publication.discard();
    } catch (e) {
      warn(s.record.name, `its staged output was not all removed (the next run or weir gc removes it): ${(e as Error).message.split('\n')[0]}`);
    }
  }
}

/**
 * The last phase of a run: every staged sink is committed, in dependency order, only when
 * the run succeeded (mode `all`), or each healthy one whatever else failed (mode `partial`);
 * otherwise all are discarded and nothing visible changes. A commit is never interrupted;
 * a cancel that arrives during the phase stops it after the commit in progress, and the
 * record says which sinks were published before it. Commits to different systems (a file
 * rename, a lake manifest, a PostgreSQL COMMIT) are separate: a failure of a later one
 * cannot undo an earlier one, so the phase stops there and the record names both.
 */
export async function publishPhase(o: PublishPhaseOptions): Promise<PublishPhaseResult> {
  if (!o.staged.length) return { publishing: null, error: null };
  const publishing: PublishingRecord = { mode: o.mode, published: [], discarded: [], failed: [] };
  const finish = (error: WeirError | null): PublishPhaseResult => {
    publishing.discarded = o.staged.filter((s) => s.record.publish === 'discarded').map((s) => s.record.name);
    return { publishing, error };
  };
  const eligible = o.cancelled || o.signal.aborted ? [] : o.mode === 'all' && o.failed ? [] : o.staged;
  await discardAll(
    o.staged.filter((s) => !eligible.includes(s)),
    o.warn,
  );
  if (!eligible.length) return finish(null);

  try {
    await o.beforePublish?.({ mode: o.mode, sinks: eligible.map((s) => ({ node: s.record.name, target: s.publication.target, evidence: s.publication.evidence })) });
  } catch (e) {
    await discardAll(eligible, o.warn);
    const message = e instanceof Error ? e.message : String(e);
    return finish(new WeirError('internal', `nothing was published: ${message}`));
  }

  for (const [i, s] of eligible.entries()) {
    if (o.signal.aborted) {
      publishing.cancelledDuringPublish = true;
      await discardAll(eligible.slice(i), o.warn);
      const done = publishing.published.length ? `after publishing ${publishing.published.join(', ')}` : 'before publishing anything';
      return finish(new WeirError('cancelled', `the run was cancelled during its publish phase, ${done}`));
    }
    try {
      const { outputs } = await s.publication.commit();
      s.record.outputs = outputs;
      s.record.publish = 'published';
      publishing.published.push(s.record.name);
      o.emit({ type: 'node_published', runId: o.runId, nodeId: s.record.id, name: s.record.name, target: s.publication.target, at: o.now().toISOString() });
    } catch (e) {
      const uncertain = (e as { uncertain?: boolean }).uncertain === true;
      s.record.publish = uncertain ? 'uncertain' : 'failed';
      s.record.status = 'failed';
      s.record.error = (e as Error).message.split('\n')[0];
      publishing.failed.push(s.record.name);
      await discardAll(eligible.slice(i + 1), o.warn);
      const before = publishing.published.length ? ` (already published: ${publishing.published.join(', ')})` : '';
      return finish(new WeirError(e instanceof WeirError ? e.kind : 'node', `node "${s.record.name}": ${s.record.error}${before}`, { nodeId: s.record.id, nodeName: s.record.name }));
    }
  }
  return finish(null);
}
