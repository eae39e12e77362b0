/**
 * The order test files start in (vitest.config.ts, sequence.sequencer): within each tier, the
 * longest file first, by the wall times recorded in file-times.json, so that the tier does not
 * end with one long file running alone while the other workers sit idle. vitest's own order
 * (longest first by its cache in node_modules/.vite) is gone on a clean clone (CI runs
 * `npm ci`), and its durations leave out a file's beforeAll (a server, a browser, a build):
 * it then orders by file size. A file without a recorded time starts first, as vitest's
 * unknown files do. Refresh the record with WEIR_RECORD_FILE_TIMES=1 (record-file-times.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const FILE_TIMES = new URL('./file-times.json', import.meta.url);

/** Seconds by `<project>:<path from the repository, with />`. */
export type FileTimes = Record<string, number>;

export const fileKey = (root: string, project: string, moduleId: string): string => `${project}:${relative(root, moduleId).split('\\').join('/')}`;

export function readFileTimes(): FileTimes {
  return existsSync(FILE_TIMES) ? (JSON.parse(readFileSync(FILE_TIMES, 'utf8')) as FileTimes) : {};
}

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const times = readFileTimes();
    const root = this.ctx.config.root;
    const at = new Map(base.map((f, i) => [f, i]));
    // The tiers stay in vitest's order (groupOrder, then name); only the files inside one move.
    const tier = new Map<string, number>();
    base.forEach((f, i) => tier.has(f.project.name) || tier.set(f.project.name, i));
    const time = (f: TestSpecification) => times[fileKey(root, f.project.name, f.moduleId)] ?? Number.POSITIVE_INFINITY;
    return [...base].sort((a, b) => {
      const byTier = tier.get(a.project.name)! - tier.get(b.project.name)!;
      if (byTier !== 0) return byTier;
      const [ta, tb] = [time(a), time(b)];
      if (ta !== tb) return ta > tb ? -1 : 1;
      return at.get(a)! - at.get(b)!;
    });
  }
}
