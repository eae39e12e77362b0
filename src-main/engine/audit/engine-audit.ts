import type { EngineContext } from '../context';
import { findWorkspace } from '../workspace/workspace';
import { openAuditLake, syncAuditLake } from './anchor/open-lake';
import { verifyAnchors, type AnchorVerification } from './anchor/verify-anchors';
import { buildEvidencePackage, type EvidenceResult } from './evidence/build';

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

/** `weir evidence SUBJECT --out DIR`: mirrors what the lake trail lacks first, so the package's anchors are current. */
export async function buildWorkspaceEvidence(ctx: EngineContext, req: { workspaceRoot: string; subject: string; out: string }): Promise<EvidenceResult> {
  const ws = findWorkspace(req.workspaceRoot);
  await syncAuditLake(ws, ctx.env).catch(() => 0);
  const lake = await openAuditLake(ws, ctx.env).catch(() => null);
  try {
    return await buildEvidencePackage({ workspaceRoot: ws.root, subject: req.subject, out: req.out, env: ctx.processEnv, lake: lake?.reader ?? null, now: ctx.now });
  } finally {
    lake?.close();
  }
}

/** `weir audit anchor`: mirror what the lake trail lacks now. */
export async function syncWorkspaceLake(ctx: EngineContext, workspaceRoot: string): Promise<number> {
  return syncAuditLake(findWorkspace(workspaceRoot), ctx.env);
}
