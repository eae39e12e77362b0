import { signerEntry, type SignerEntry } from '../../../../shared/gxp/signers';
import { WeirError } from '../../../../shared/errors';
import { createKeyFile, type KeyWrapper } from './key-file';
import { saveKeyFile } from './key-store';

export interface SignerInitRequest {
  id: string;
  name: string;
  roles?: string[];
  passphrase: string;
  /** validFrom of the entry; the engine's clock by default. */
  validFrom?: string;
}

/**
 * A new Ed25519 key pair for a signer: the private key encrypted into the key folder (never
 * the workspace), and the signers.json entry to add to the workspace (by a reviewed commit).
 */
export async function initSigner(req: SignerInitRequest, keyDir: string, now: Date, wrapper?: KeyWrapper): Promise<{ keyPath: string; entry: SignerEntry }> {
  const parsed = signerEntry.safeParse({ id: req.id, name: req.name, roles: req.roles ?? [], publicKey: 'x', validFrom: req.validFrom ?? now.toISOString() });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new WeirError('usage', `signer ${String(i.path[0] ?? '')}: ${i.message}`);
  }
  const file = await createKeyFile(req.id, req.passphrase);
  const keyPath = await saveKeyFile(keyDir, file, wrapper);
  return { keyPath, entry: { ...parsed.data, publicKey: file.publicKey } };
}
