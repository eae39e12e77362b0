import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WeirError } from '../../../../shared/errors';
import { SIGNERS_FILE } from '../../../../shared/gxp/signers';
import type { Workspace } from '../../workspace/workspace';

/**
 * signers.json's `requireRunReason`: a run without `--reason` is refused before anything is
 * read or written, always or in environments marked `protected` (issue #18 item 4). Without a
 * signers.json nothing is required. The schema loads only when the file exists, so runs of
 * workspaces without signatures do not pay for it.
 */
export async function assertRunReason(workspace: Workspace, environment: string, reason: string | undefined): Promise<void> {
  if (reason?.trim() || !existsSync(join(workspace.root, SIGNERS_FILE))) return;
  const { readSignersFile } = await import('./signers-file');
  const rule = (await readSignersFile(workspace.root))?.requireRunReason ?? 'never';
  const isProtected = workspace.file.environments[environment]?.protected === true;
  if (rule === 'always' || (rule === 'protected' && isProtected)) {
    const where = rule === 'always' ? 'every run' : `a run in the protected environment "${environment}"`;
    throw new WeirError('usage', `${where} needs a reason (weir run --reason "..."; the designer's Reason field): ${SIGNERS_FILE} says "requireRunReason": "${rule}"`);
  }
}
