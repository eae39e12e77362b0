import { existsSync, readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { WeirError } from '../../shared/errors';
import type { SecretStore } from '../api/secrets';

/** The slice of Electron's safeStorage used here (a fake in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/**
 * Secrets encrypted by the OS keychain (Keychain on macOS, DPAPI on Windows, libsecret or
 * kwallet on Linux) through safeStorage, kept as ciphertext in one file in the app's data
 * folder. Where no keychain is available (Linux without a secret service, where Electron
 * would fall back to a fixed key), values are kept in memory only and `persistent` is false.
 */
export class SafeStorageSecretStore implements SecretStore {
  private readonly memory = new Map<string, string>();

  constructor(
    private readonly safe: SafeStorageLike,
    private readonly file: string,
  ) {}

  /** Asked at each use: on Linux, safeStorage only knows after the app is ready. */
  get persistent(): boolean {
    return this.safe.isEncryptionAvailable() && this.safe.getSelectedStorageBackend?.() !== 'basic_text';
  }

  private readAll(): Record<string, string> {
    if (!this.persistent || !existsSync(this.file)) return {};
    try {
      const raw = JSON.parse(readFileSync(this.file, 'utf8')) as { secrets?: Record<string, string> };
      return raw.secrets ?? {};
    } catch {
      throw new WeirError('internal', `the secrets file ${this.file} is unreadable`);
    }
  }

  private writeAll(all: Record<string, string>): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: 'weir.secrets', secrets: all }, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  list(): string[] {
    return [...new Set([...Object.keys(this.readAll()), ...this.memory.keys()])].sort();
  }

  get(name: string): string | undefined {
    if (this.memory.has(name)) return this.memory.get(name);
    const enc = this.readAll()[name];
    if (enc === undefined) return undefined;
    try {
      return this.safe.decryptString(Buffer.from(enc, 'base64'));
    } catch {
      throw new WeirError('connection', `secret ${name} cannot be decrypted by this user's keychain; set it again`);
    }
  }

  set(name: string, value: string): void {
    if (!this.persistent) {
      this.memory.set(name, value);
      return;
    }
    const all = this.readAll();
    all[name] = this.safe.encryptString(value).toString('base64');
    this.writeAll(all);
  }

  delete(name: string): void {
    this.memory.delete(name);
    const all = this.readAll();
    if (name in all) {
      delete all[name];
      this.writeAll(all);
    }
  }
}
