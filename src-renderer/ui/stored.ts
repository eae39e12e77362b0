/**
 * localStorage that never throws: where storage is unavailable (a locked-down profile, a full
 * quota) the layout simply is not remembered, and the app goes on.
 */
export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // not remembered
  }
}
