import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DraftInfo } from '../../shared/api/schemas';
import { readRegularText, writeFileAtomic } from '../engine';
import { WeirError } from '../../shared/errors';
import { insideWorkspace, isWithin, realPath, workspaceRoot } from './paths';

/**
 * Unsaved work, kept beside the workspace (`.weir/` is git-ignored) so that it survives a
 * crash of the app or the browser tab and works the same in both shells.
 */
function draftFile(root: string, path: string): string {
  insideWorkspace(root, path);
  const file = join(root, '.weir', 'drafts', `${encodeURIComponent(path)}.json`);
  // A `.weir` that is a link to elsewhere would take the draft (the pipeline's text) out of the workspace.
  if (!isWithin(realPath(root), realPath(file))) throw new WeirError('usage', `${join(root, '.weir')} leads outside the workspace (a symbolic link): no drafts are kept there`);
  return file;
}

export async function saveDraft(rootIn: string, path: string, text: string, baseSha256: string | null): Promise<{ savedAt: string }> {
  const root = workspaceRoot(rootIn);
  const savedAt = new Date().toISOString();
  const draft: DraftInfo = { path, text, baseSha256, savedAt };
  await writeFileAtomic(draftFile(root, path), JSON.stringify(draft) + '\n');
  return { savedAt };
}

export async function getDraft(rootIn: string, path: string): Promise<DraftInfo | null> {
  const root = workspaceRoot(rootIn);
  try {
    const raw = JSON.parse(await readRegularText(draftFile(root, path))) as Partial<DraftInfo>;
    if (typeof raw.text !== 'string' || typeof raw.savedAt !== 'string') return null;
    return { path, text: raw.text, baseSha256: typeof raw.baseSha256 === 'string' ? raw.baseSha256 : null, savedAt: raw.savedAt };
  } catch {
    return null;
  }
}

export async function discardDraft(rootIn: string, path: string): Promise<void> {
  await rm(draftFile(workspaceRoot(rootIn), path), { force: true });
}
