import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeyFile, unlockKeyFile } from '../../../src-main/engine/audit/signatures/key-file';
import { keyFileIds, loadKeyFile, saveKeyFile } from '../../../src-main/engine/audit/signatures/key-store';
import { safeStorageKeyWrapper } from '../../../src-main/electron/key-wrapper';
import type { SafeStorageLike } from '../../../src-main/electron/secrets';
import { tempDir } from '../../support/temp-dir';

/**
 * The desktop wraps signers' key files with safeStorage (the OS keychain). Electron cannot start
 * here, so a fake safeStorage stands in: the real keychain is not exercised by this test.
 */
function fakeSafeStorage(backend = 'gnome_libsecret'): SafeStorageLike {
  const mark = Buffer.from('KEYCHAIN:');
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => Buffer.concat([mark, Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)]),
    decryptString: (enc) => Buffer.from(enc.subarray(mark.length).map((b) => b ^ 0x5a)).toString('utf8'),
  };
}

describe('signer key files on the desktop', () => {
  it('are written wrapped by the keychain, and open with it and the passphrase', async () => {
    const dir = tempDir('weir-keys-');
    const wrapper = safeStorageKeyWrapper(fakeSafeStorage());
    const path = await saveKeyFile(dir, await createKeyFile('qa.lead', 'a passphrase'), wrapper);
    expect(path).toBe(join(dir, 'qa.lead.key.wrapped'));
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 9).toString()).toBe('KEYCHAIN:');
    expect(bytes.toString('latin1')).not.toContain('weir.signer-key');
    expect(await keyFileIds(dir, wrapper)).toEqual(['qa.lead']);
    // Without the keychain the wrapped file is not found: it is not a plain key file.
    await expect(loadKeyFile(dir, 'qa.lead')).rejects.toThrow('no key file for signer "qa.lead"');
    await expect(unlockKeyFile(await loadKeyFile(dir, 'qa.lead', wrapper), 'a passphrase')).resolves.toBeDefined();
  });

  it('fall back to plain files where the keychain is only a fixed key (basic_text), and read keys made by weir signer init', async () => {
    const dir = tempDir('weir-keys-');
    const basic = safeStorageKeyWrapper(fakeSafeStorage('basic_text'));
    expect(basic.available()).toBe(false);
    expect(await saveKeyFile(dir, await createKeyFile('cli.made', 'a passphrase'))).toBe(join(dir, 'cli.made.key.json'));
    const wrapper = safeStorageKeyWrapper(fakeSafeStorage());
    expect((await loadKeyFile(dir, 'cli.made', wrapper)).signerId).toBe('cli.made');
    expect(await keyFileIds(dir, wrapper)).toEqual(['cli.made']);
    await expect(saveKeyFile(dir, await createKeyFile('cli.made', 'another one'))).rejects.toThrow('already has a key file');
  });
});
