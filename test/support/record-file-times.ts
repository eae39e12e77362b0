/**
 * A reporter (vitest.config.ts, with WEIR_RECORD_FILE_TIMES=1) that writes each file's wall
 * time into file-times.json for file-order.ts: from the moment a worker takes it to its end,
 * with its imports and hooks (vitest's own durations count its tests only).
 * Only the files of the run are updated: a run of one tier keeps the others' times.
 */
import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { FILE_TIMES, fileKey, readFileTimes } from './file-order';

export default class RecordFileTimes implements Reporter {
  private root = '';
  private started = new Map<string, number>();
  private times: Record<string, number> = {};

  onInit(ctx: Vitest): void {
    this.root = ctx.config.root;
  }

  private key(m: TestModule): string {
    return fileKey(this.root, m.project.name, m.moduleId);
  }

  onTestModuleQueued(m: TestModule): void {
    this.started.set(this.key(m), performance.now());
  }

  onTestModuleEnd(m: TestModule): void {
    const start = this.started.get(this.key(m));
    if (start !== undefined) this.times[this.key(m)] = Math.round((performance.now() - start) / 100) / 10;
  }

  onTestRunEnd(): void {
    if (!Object.keys(this.times).length) return;
    const all = { ...readFileTimes(), ...this.times };
    const sorted = Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]!]));
    writeFileSync(FILE_TIMES, `${JSON.stringify(sorted, null, 2)}\n`);
  }
}
