import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

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

/** Every file under `root` (nothing skipped), as sorted relative paths with `/`. */
export function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      const st = statSync(p, { throwIfNoEntry: false });
      // Gone between the listing and the stat (a lock file of a run in progress).
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  return out;
}

/** sha256 of every file under `root`, keyed by its path relative to `root` (with `/`). */
export function treeHashes(root: string, skip: (rel: string) => boolean = () => false): Record<string, string> {
  return Object.fromEntries(filesUnder(root).filter((rel) => !skip(rel)).map((rel) => [rel, createHash('sha256').update(readFileSync(join(root, ...rel.split('/')))).digest('hex')]));
}
