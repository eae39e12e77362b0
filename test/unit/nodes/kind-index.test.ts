import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kindIndexFiles, RUNTIME_INDEX, SHARED_INDEX, writeKindIndex } from '../../../scripts/gen-kind-index.mjs';
import { exampleKindFiles, treeCopy } from '../../support/kind-tree';
import { tempDir } from '../../support/temp-dir';

const root = join(import.meta.dirname, '../../..');

describe('the kind indexes (scripts/gen-kind-index.mjs)', () => {
  it('are committed as the generator writes them from the folders (else: run npm run kinds)', () => {
    const want = kindIndexFiles(root);
    for (const path of [SHARED_INDEX, RUNTIME_INDEX]) {
      const have = readFileSync(join(root, path), 'utf8');
      expect(have === want[path], `${path} is stale: run npm run kinds`).toBe(true);
    }
  });

  it('name every folder, and refuse one whose file does not export one definition, naming it', () => {
    const files = kindIndexFiles(root);
    expect(files[SHARED_INDEX]).toContain("import { fileSinkKind } from './file-sink';");
    expect(files[RUNTIME_INDEX]).toContain('  file_sink: fileSinkRuntime,');
    const copy = tempDir('weir-kinds-bad-');
    mkdirSync(join(copy, 'shared/nodes/odd'), { recursive: true });
    mkdirSync(join(copy, 'src-main/engine/nodes'), { recursive: true });
    writeFileSync(join(copy, 'shared/nodes/odd/index.ts'), 'export const a = 1;\n');
    expect(() => kindIndexFiles(copy)).toThrow('shared/nodes/odd/index.ts: expected exactly one `export const <name> = defineNodeKind(`, found 0');
  });

  it('a new kind is its two folders: the generator lists it, and the app registry and palette have it with its runtime', async () => {
    const copy = treeCopy(exampleKindFiles());
    expect(writeKindIndex(copy).sort()).toEqual([SHARED_INDEX, RUNTIME_INDEX].sort());
    expect(readFileSync(join(copy, SHARED_INDEX), 'utf8')).toContain("import { limitKind } from './limit';");
    expect(readFileSync(join(copy, RUNTIME_INDEX), 'utf8')).toContain('  limit: limitRuntime,');
    // Written again, nothing changes: the index depends on the folders alone.
    expect(writeKindIndex(copy)).toEqual([]);
    const kinds = (await import(pathToFileURL(join(copy, 'shared/nodes/kinds.ts')).href)) as typeof import('../../../shared/nodes/kinds');
    const shared = (await import(pathToFileURL(join(copy, 'shared/nodes/registry.ts')).href)) as typeof import('../../../shared/nodes/registry');
    const engine = (await import(pathToFileURL(join(copy, 'src-main/engine/nodes/registry.ts')).href)) as typeof import('../../../src-main/engine/nodes/registry');
    const names = kinds.nodeKinds.map((k) => k.kind);
    // In the palette after the other transforms, before the checks.
    expect(names.slice(names.indexOf('deduplicate'), names.indexOf('deduplicate') + 3)).toEqual(['deduplicate', 'limit', 'check']);
    expect(engine.runtimeKinds()).toContain('limit');
    expect(engine.nodeRuntime('limit').definition).toBe(shared.nodeKindSpec('limit'));
    expect(shared.nodeSql('limit', { rows: 2 }, { nodeName: 'top', inputNames: ['readings'], fanOut: 1 })).toMatchObject({ ok: true });

    // Its runtime folder gone, the index drops it (and the tree no longer compiles: test/integration/nodes/kind-folders.test.ts).
    rmSync(join(copy, 'src-main/engine/nodes/limit'), { recursive: true });
    expect(writeKindIndex(copy)).toEqual([RUNTIME_INDEX]);
    expect(readFileSync(join(copy, RUNTIME_INDEX), 'utf8')).not.toContain('limit');
  });
});
