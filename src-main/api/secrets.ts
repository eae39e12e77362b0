/**
 * Where secret values (passwords, keys) live, outside every file: the desktop keeps them in
 * the OS keychain through Electron's safeStorage; the browser shell keeps them in memory for
 * the life of the server. A run looks a `${env:NAME}` up here first, then in the environment.
 */
export interface SecretStore {
  /** True when values survive a restart. */
  readonly persistent: boolean;
  list(): string[];
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  delete(name: string): void;
}

export class MemorySecretStore implements SecretStore {
  readonly persistent = false;
  private readonly values = new Map<string, string>();
  list(): string[] {
    return [...this.values.keys()].sort();
  }
  get(name: string): string | undefined {
    return this.values.get(name);
  }
  set(name: string, value: string): void {
    this.values.set(name, value);
  }
  delete(name: string): void {
    this.values.delete(name);
  }
}
