import type { EngineContext } from '../context';
import { findWorkspace } from '../workspace/workspace';
import { openAuditLake, syncAuditLake } from './anchor/open-lake';
import { verifyAnchors, type AnchorVerification } from './anchor/verify-anchors';
import { WeirError } from '../../../shared/errors';
import { buildEvidencePackage, type EvidenceResult } from './evidence/build';
import { buildEvidenceZip } from './evidence/zip-package';
import { publishReleaseTable, type ReleaseTableResult } from './signatures/release-table';

/** `weir audit verify --anchor`: the local log against its git anchor and its lake trail (weir.audit.json). */
export async function verifyWorkspaceAnchors(ctx: EngineContext, workspaceRoot: string): Promise<AnchorVerification> {
  const ws = findWorkspace(workspaceRoot);
  let lake = null;
  try {
    lake = await openAuditLake(ws, ctx.env);
  } catch {
    lake = null; // verifyAnchors names the lake it could not open
  }
  try {
    return await verifyAnchors(ws.root, ctx.processEnv, lake?.reader ?? null);
  } finally {
    lake?.close();
  }
}

/**
 * `weir evidence SUBJECT --out DIR|FILE.zip`: mirrors what the lake trail lacks first, so the
 * package's anchors are current. SOURCE_DATE_EPOCH (the reproducible-builds convention), when
 * set, is the packaging time: the same trail then gives the same bytes.
 */
export async function buildWorkspaceEvidence(ctx: EngineContext, req: { workspaceRoot: string; subject: string; out: string }): Promise<EvidenceResult> {
  const ws = findWorkspace(req.workspaceRoot);
  await syncAuditLake(ws, ctx.env).catch(() => 0);
  const lake = await openAuditLake(ws, ctx.env).catch(() => null);
  try {
    const build = /\.zip$/i.test(req.out) ? buildEvidenceZip : buildEvidencePackage;
    return await build({ workspaceRoot: ws.root, subject: req.subject, out: req.out, env: ctx.processEnv, lake: lake?.reader ?? null, now: packagingClock(ctx) });
  } finally {
    lake?.close();
  }
}

/** `weir audit anchor`: mirror what the lake trail lacks now. */
export async function syncWorkspaceLake(ctx: EngineContext, workspaceRoot: string): Promise<number> {
  return syncAuditLake(findWorkspace(workspaceRoot), ctx.env);
}

function packagingClock(ctx: EngineContext): () => Date {
  const epoch = ctx.processEnv.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return ctx.now;
  if (!/^\d{1,12}$/.test(epoch)) throw new WeirError('usage', `SOURCE_DATE_EPOCH must be whole seconds since 1970 (got ${JSON.stringify(epoch.slice(0, 40))})`);
  return () => new Date(Number(epoch) * 1000);
}

/** `weir release publish`: the release-state table refreshed from the trail now. */
export async function publishWorkspaceReleaseTable(ctx: EngineContext, workspaceRoot: string): Promise<ReleaseTableResult | null> {
  return publishReleaseTable(findWorkspace(workspaceRoot), ctx.env);
}

/** The release-state table's refresh after a signing: what it did, or why it could not (the signature stands). */
export type ReleaseTableRefresh = ReleaseTableResult | { error: string } | null;

export async function refreshReleaseTable(ctx: EngineContext, workspaceRoot: string): Promise<ReleaseTableRefresh> {
  try {
    return await publishWorkspaceReleaseTable(ctx, workspaceRoot);
  } catch (e) {
    return { error: (e as Error).message };
  }
}
