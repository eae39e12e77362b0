import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Files under `dir` whose path (relative to `root`) ends with `suffix`; Node 20 has no fs.globSync. */
export function findFiles(root: string, dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === '.weir' || e.name === '.git') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith(suffix)) out.push(relative(root, p));
    }
  };
  walk(join(root, dir));
  return out.sort();
}
