import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The real path of `p`, or of its nearest existing ancestor with the rest appended. */
export function realPathOf(p: string): string {
  let existing = resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      const real = realpathSync(existing);
      return rest.length ? join(real, ...rest.reverse()) : real;
    } catch {
      const up = dirname(existing);
      if (up === existing) return resolve(p);
      rest.push(basename(existing));
      existing = up;
    }
  }
}
