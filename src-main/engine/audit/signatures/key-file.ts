import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scrypt, type KeyObject } from 'node:crypto';
import { WeirError } from '../../../../shared/errors';
import type { KeyWrapper } from '../../context';

export type { KeyWrapper };

/**
 * A signer's private key at rest: the Ed25519 key (PKCS#8 DER) encrypted with AES-256-GCM
 * under a key derived from the signer's passphrase by scrypt. The passphrase is the second
 * identification component asked at each signing (Part 11 §11.200(a)(1)); the file is useless
 * without it. On the desktop the whole file is wrapped once more by the OS keychain
 * (Electron safeStorage, see `KeyWrapper`).
 */
export const KEY_FILE_FORMAT = 'weir.signer-key';

export interface KeyFile {
  format: typeof KEY_FILE_FORMAT;
  version: 1;
  signerId: string;
  /** The raw public key, base64: what signers.json lists. */
  publicKey: string;
  kdf: { name: 'scrypt'; salt: string; N: number; r: number; p: number };
  cipher: 'aes-256-gcm';
  iv: string;
  tag: string;
  ciphertext: string;
}

/** scrypt's cost: N = 2^15 takes ~100 ms and 32 MiB here, per signing, not per record. */
const SCRYPT = { N: 1 << 15, r: 8, p: 1 };
const SCRYPT_MAXMEM = 64 * 1024 * 1024;

function derive(passphrase: string, salt: Buffer, p: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, { N: p.N, r: p.r, p: p.p, maxmem: SCRYPT_MAXMEM }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** The raw 32 bytes of an Ed25519 public key (from its SPKI DER: the last 32 bytes). */
export function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A public key as signers.json lists it: PEM, or the raw 32 bytes in base64. */
export function parsePublicKey(text: string): KeyObject {
  const t = text.trim();
  try {
    if (t.startsWith('-----BEGIN')) {
      const k = createPublicKey(t);
      if (k.asymmetricKeyType !== 'ed25519') throw new Error(`a ${k.asymmetricKeyType ?? 'unknown'} key`);
      return k;
    }
    const raw = Buffer.from(t, 'base64');
    if (raw.length !== 32) throw new Error(`${raw.length} bytes, expected 32`);
    return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch (e) {
    throw new WeirError('invalid', `not an Ed25519 public key (PEM, or 32 bytes in base64): ${(e as Error).message}`);
  }
}

export function publicKeySha256(key: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(key)).digest('hex');
}

/** A new key pair, the private half encrypted under the passphrase. */
export async function createKeyFile(signerId: string, passphrase: string): Promise<KeyFile> {
  if (passphrase.length < 8) throw new WeirError('usage', 'the passphrase must have at least 8 characters');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await derive(passphrase, salt, SCRYPT);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // The signer id is authenticated with the key: a key file renamed to another signer does not open.
  cipher.setAAD(Buffer.from(`${KEY_FILE_FORMAT}:${signerId}`));
  const ciphertext = Buffer.concat([cipher.update(privateKey.export({ format: 'der', type: 'pkcs8' })), cipher.final()]);
  return {
    format: KEY_FILE_FORMAT,
    version: 1,
    signerId,
    publicKey: rawPublicKey(publicKey).toString('base64'),
    kdf: { name: 'scrypt', salt: salt.toString('base64'), ...SCRYPT },
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

export function parseKeyFile(text: string, where: string): KeyFile {
  let f: KeyFile;
  try {
    f = JSON.parse(text) as KeyFile;
  } catch {
    throw new WeirError('invalid', `${where}: not a Weir signer key file (not JSON)`);
  }
  const ok =
    f && f.format === KEY_FILE_FORMAT && f.version === 1 && typeof f.signerId === 'string' && f.kdf?.name === 'scrypt' && f.cipher === 'aes-256-gcm' &&
    [f.iv, f.tag, f.ciphertext, f.kdf.salt, f.publicKey].every((s) => typeof s === 'string') &&
    [f.kdf.N, f.kdf.r, f.kdf.p].every((n) => Number.isInteger(n) && n > 0);
  if (!ok) throw new WeirError('invalid', `${where}: not a Weir signer key file (format "${KEY_FILE_FORMAT}", version 1)`);
  // A hostile file must not make scrypt take minutes or gigabytes.
  if (f.kdf.N > 1 << 20 || f.kdf.r > 16 || f.kdf.p > 4) throw new WeirError('invalid', `${where}: scrypt parameters out of range`);
  return f;
}

/** The private key, or a clear refusal: a wrong passphrase and a damaged file read the same to GCM. */
export async function unlockKeyFile(f: KeyFile, passphrase: string): Promise<KeyObject> {
  const key = await derive(passphrase, Buffer.from(f.kdf.salt, 'base64'), f.kdf);
  let der: Buffer;
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(f.iv, 'base64'));
    d.setAAD(Buffer.from(`${KEY_FILE_FORMAT}:${f.signerId}`));
    d.setAuthTag(Buffer.from(f.tag, 'base64'));
    der = Buffer.concat([d.update(Buffer.from(f.ciphertext, 'base64')), d.final()]);
  } catch {
    throw new WeirError('usage', `wrong passphrase for signer "${f.signerId}" (or its key file was changed)`);
  }
  const priv = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  if (rawPublicKey(createPublicKey(priv)).toString('base64') !== f.publicKey) {
    throw new WeirError('invalid', `the key file of signer "${f.signerId}" does not hold the key its public key names`);
  }
  return priv;
}
