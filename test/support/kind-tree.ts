import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from './temp-dir';

const root = join(import.meta.dirname, '../..');
const example = join(root, 'test/unit/nodes/example-kind');

/**
 * The example kind of docs/node-kinds.md as its two folders sit in the real tree (the imports
 * of test/unit/nodes/example-kind/ rewritten as example-kind.test.ts reads them).
 */
export function exampleKindFiles(): Record<string, string> {
  const read = (file: string, up: string) => readFileSync(join(example, file), 'utf8').replaceAll(up, "'../");
  return {
    'shared/nodes/limit/index.ts': read('shared/nodes/limit/index.ts', "'../../../../../../../shared/nodes/"),
    'src-main/engine/nodes/limit/runtime.ts': read('src-main/engine/nodes/limit/runtime.ts', "'../../../../../../../../src-main/engine/nodes/"),
  };
}

/** A copy of shared/ and src-main/ (what a kind touches), with node_modules linked, plus `files`. */
export function treeCopy(files: Record<string, string>, prefix = 'weir-kinds-'): string {
  const copy = tempDir(prefix);
  for (const d of ['shared', 'src-main']) cpSync(join(root, d), join(copy, d), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(copy, path)), { recursive: true });
    writeFileSync(join(copy, path), text);
  }
  return copy;
}
