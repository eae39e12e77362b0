import { createHash } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who this process is, as other Weir processes judge it: the machine's tag and whether a pid
 * is alive. One place, because the audit lock, open publish intents, run markers, litter and
 * PostgreSQL sessions must all agree on it.
 */

let tag: string | undefined;

/**
 * This host, as 8 hex digits (a host name may hold any byte; the tag goes into file names and
 * PostgreSQL application names): the host name and the PID namespace, hashed. A container that
 * shares the host's name (or network) but not its processes gets another tag, so a pid that
 * looks dead is only believed where it was made.
 */
export function hostTag(): string {
  if (tag === undefined) {
    let pidNamespace = '';
    try {
      pidNamespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      // Not Linux: the host name alone.
    }
    tag = createHash('sha256').update(`${hostname()}\0${pidNamespace}`).digest('hex').slice(0, 8);
  }
  return tag;
}

/** Whether a process of this host exists (one of another user counts: it cannot be signalled, but lives). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
