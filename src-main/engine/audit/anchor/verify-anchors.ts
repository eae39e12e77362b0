import type { Environment } from '../../context';
import { entryType, isPublishPhase, readAuditEntries, type AuditEntry } from '../audit-log';
import type { AuditProblem } from '../verify';
import { readAuditConfig } from './config';
import { ANCHOR_REF, readGitAnchors } from './git-anchor';
import type { LakeTrailReader } from './lake-mirror';

export interface AnchorVerification {
  ok: boolean;
  problems: AuditProblem[];
  notices: AuditProblem[];
  git: { repo: string | null; anchors: number; lastSeq: number | null } | null;
  lake: { uri: string; entries: number; lastLocalSeq: number | null } | null;
}

/**
 * The local log against what was recorded outside `.weir/`: each anchor names a seq and
 * its hash, and the local entry at that seq must carry that hash (a rewrite, even with every
 * hash recomputed, changes them), the log must reach the last anchor (a truncation), and
 * the entries after the last anchor must be ones the anchor was not asked to follow (else
 * they were appended without Weir). `--anchor` with nothing to check against fails: it cannot
 * prove the log.
 */
export async function verifyAnchors(workspaceRoot: string, env: Environment, lake: LakeTrailReader | null = null): Promise<AnchorVerification> {
  const config = await readAuditConfig(workspaceRoot);
  const entries = await readAuditEntries(workspaceRoot);
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  const last = entries[entries.length - 1] ?? null;
  const problems: AuditProblem[] = [];
  const notices: AuditProblem[] = [];
  let gitResult: AnchorVerification['git'] = null;
  let lakeResult: AnchorVerification['lake'] = null;

  if (config.git.enabled) {
    const { repo, anchors } = await readGitAnchors(env, workspaceRoot);
    gitResult = { repo, anchors: anchors.length, lastSeq: anchors.length ? anchors[anchors.length - 1]!.seq : null };
    if (!repo) notices.push({ message: 'the workspace is not in a git repository: no git anchor to check' });
    else {
      for (const a of anchors) problems.push(...compare(bySeq, last, a.seq, a.hash, `the git anchor (${ANCHOR_REF} commit ${a.commit.slice(0, 12)}, ${a.at})`));
      problems.push(...unanchoredTail(entries, gitResult.lastSeq, config.git.entries, `git anchor (${ANCHOR_REF} in ${repo})`, true));
    }
  }
  if (config.lake) {
    if (!lake) problems.push({ message: `weir.audit.json mirrors the trail to connection "${config.lake.connection}", which could not be opened here` });
    else {
      const mirrored = await lake.readChain(entries[0]?.hash ?? null);
      problems.push(...mirrored.problems);
      lakeResult = { uri: lake.uri, entries: mirrored.records.length, lastLocalSeq: mirrored.records.length ? mirrored.records[mirrored.records.length - 1]!.local.seq : null };
      for (const r of mirrored.records) problems.push(...compare(bySeq, last, r.local.seq, r.local.hash, `the lake trail (${lake.uri}, lake seq ${r.seq})`));
      problems.push(...unanchoredTail(entries, lakeResult.lastLocalSeq, ['run', 'signature', 'state'], `lake trail (${lake.uri})`));
    }
  }
  if (!gitResult?.repo && !config.lake) problems.push({ message: 'nothing anchors this audit log (no git repository, no lake mirror in weir.audit.json): --anchor cannot prove it' });
  return { ok: problems.length === 0, problems, notices, git: gitResult, lake: lakeResult };
}

function compare(bySeq: Map<number, AuditEntry>, last: AuditEntry | null, seq: number, hash: string, where: string): AuditProblem[] {
  const local = bySeq.get(seq);
  if (!local) {
    if (!last || seq > last.seq) return [{ seq, message: `${where} records seq ${seq}, but the local log ends at ${last ? `seq ${last.seq}` : 'nothing'}: entries were deleted` }];
    return [{ seq, message: `${where} records seq ${seq}, which the local log lacks: entries were deleted or renumbered` }];
  }
  if (local.hash !== hash) return [{ seq, runId: local.runId, message: `the local entry's hash differs from ${where}: the log was rewritten` }];
  return [];
}

/** Entries after the last anchor that the anchor follows: appended without Weir (or anchoring failed: the next entry anchors). */
function unanchoredTail(entries: readonly AuditEntry[], lastSeq: number | null, followed: readonly string[], what: string, gitOnly = false): AuditProblem[] {
  // Entries from before anchors existed (no type) are not expected to be anchored.
  // Publish intents and reconciliations move no git anchor: the record after them does.
  const tail = entries.filter((e) => (lastSeq === null || e.seq > lastSeq) && e.type !== undefined && followed.includes(entryType(e)) && !(gitOnly && isPublishPhase(e)));
  if (!tail.length) return [];
  const first = tail[0]!;
  const end = tail[tail.length - 1]!;
  const range = first.seq === end.seq ? `seq ${first.seq} is` : `seq ${first.seq} to ${end.seq} are`;
  return [{ seq: first.seq, runId: first.runId, message: `${range} not in the ${what}${lastSeq === null ? ', which holds nothing for this workspace' : `, which ends at seq ${lastSeq}`}: appended without Weir, or its anchoring failed` }];
}
