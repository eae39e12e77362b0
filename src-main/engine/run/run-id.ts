import { randomBytes } from 'node:crypto';

/** Sortable to the millisecond and unique: `20261126T012233.123Z-3f9a1c`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
