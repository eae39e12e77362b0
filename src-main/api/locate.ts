import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The first `<dir>/<rel>` that exists, walking up from each start folder in turn. The
 * shells run from source (tsx), from the CLI bundle in bin/, or from out/main; each finds
 * the built renderer and the templates this way instead of hard-coding a depth.
 */
export function findUp(starts: readonly (string | undefined)[], rel: string): string | null {
  for (const start of starts) {
    if (!start) continue;
    let dir = resolve(start);
    for (;;) {
      const candidate = join(dir, rel);
      if (existsSync(candidate)) return candidate;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return null;
}
