import type { KeyWrapper } from '../engine';
import type { SafeStorageLike } from './secrets';

/**
 * Signers' key files on the desktop, wrapped once more by the OS keychain (safeStorage) on top
 * of their passphrase encryption. Only where the keychain really encrypts (not Linux's
 * `basic_text` fallback, a fixed key); otherwise the plain passphrase-encrypted file is used.
 * Electron cannot start on the build machines: test/unit/electron/key-wrapper.test.ts checks
 * this with a fake safeStorage; the real keychain is not exercised there.
 */
export function safeStorageKeyWrapper(safe: SafeStorageLike): KeyWrapper {
  return {
    name: 'OS keychain',
    available: () => safe.isEncryptionAvailable() && safe.getSelectedStorageBackend?.() !== 'basic_text',
    // safeStorage takes strings: the key file is JSON, and base64 keeps any bytes intact.
    wrap: (plain) => safe.encryptString(plain.toString('base64')),
    unwrap: (wrapped) => Buffer.from(safe.decryptString(wrapped), 'base64'),
  };
}
