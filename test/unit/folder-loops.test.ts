import { appendFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeLoop, folderGraph, folderLoops } from '../support/folder-graph';
import { tempDir } from '../support/temp-dir';

// Folders depend one way (issue #14 item 5): no folder imports, through any chain of imports,
// a folder that imports it. A folder is the first three segments of a file's directory
// (src-main/engine/run, src-main/cli/commands, shared/pipeline, src-renderer/canvas); a node or
// connection kind's folder counts as part of its parent (test/support/folder-graph.ts).

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['shared', 'src-main', 'src-renderer'];

function loopsIn(root: string): string[] {
  const graph = folderGraph(root, SOURCES);
  return folderLoops(graph).map((loop) => describeLoop(graph, loop));
}

function plant(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe('folder-level import loops', () => {
  it('there are none among the folders of shared/, src-main/ and src-renderer/', () => {
    expect(loopsIn(ROOT)).toEqual([]);
  });

  it('reads the real tree: the edges that make the layers are there', () => {
    const graph = folderGraph(ROOT, SOURCES);
    const edge = (from: string, to: string) => graph.get(from)?.has(to) ?? false;
    expect(graph.size).toBeGreaterThan(30);
    expect(edge('shared/pipeline', 'shared/nodes')).toBe(true);
    expect(edge('shared/nodes', 'shared/sql')).toBe(true);
    expect(edge('src-main/engine/run', 'src-main/engine/nodes')).toBe(true);
    expect(edge('src-main/engine/run', 'src-main/engine/audit')).toBe(true);
    expect(edge('src-main/engine', 'src-main/engine/run')).toBe(true); // the front door
    expect(edge('src-main/engine/nodes', 'src-main/engine/context')).toBe(true);
    expect(edge('src-main/cli/commands', 'src-main/cli/support')).toBe(true);
    expect(edge('src-main/cli', 'src-main/cli/commands')).toBe(true); // main's import()s
  });

  it('finds a loop planted in a copy of the tree, and only that one', () => {
    const copy = tempDir('weir-loops-');
    for (const d of SOURCES) cpSync(join(ROOT, d), join(copy, d), { recursive: true });
    expect(loopsIn(copy)).toEqual([]);
    // A node runtime reaching back into the run: the loop the engine had.
    appendFileSync(join(copy, 'src-main/engine/nodes/types.ts'), "\nexport type { Plan } from '../run/plan';\n");
    const loops = loopsIn(copy);
    expect(loops).toHaveLength(1);
    expect(loops[0]).toContain('src-main/engine/nodes -> src-main/engine/run: src-main/engine/nodes/types.ts -> src-main/engine/run/plan.ts');
    // audit sits between them (audit -> nodes, run -> audit), so the loop takes it in too
    expect(loops[0]!.split('\n')[0]).toBe('loop: src-main/engine/audit, src-main/engine/nodes, src-main/engine/run');
  });

  it('sees every kind of import: static, type-only, re-export, import(), require(), a folder by its index', () => {
    const root = tempDir('weir-loops-');
    plant(root, {
      // static one way, `import type` back
      'shared/a/x.ts': "import { y } from '../b/y';\nexport const x = y;\n",
      'shared/b/y.ts': "import type { X } from '../a/x';\nexport const y = 1;\nexport type Y = X;\n",
      // import() one way, a re-export back
      'src-main/engine/p/one.ts': "export const load = () => import('../q/two');\n",
      'src-main/engine/q/two.ts': "export * from '../p/one';\n",
      // require() one way, a folder (its index.ts) back
      'src-main/cli/entry.ts': "const c = require('./commands/go');\nexport default c;\n",
      'src-main/cli/commands/go.ts': "import '../support';\nexport {};\n",
      'src-main/cli/support/index.ts': "import '..';\nexport {};\n",
      'src-main/cli/index.ts': "import './entry';\n",
      // a chain with no way back is not a loop
      'shared/c/one.ts': "import '../d/two';\n",
      'shared/d/two.ts': "import '../e/three';\n",
      'shared/e/three.ts': 'export {};\n',
    });
    const loops = folderLoops(folderGraph(root, ['shared', 'src-main']));
    expect(loops).toEqual([['shared/a', 'shared/b'], ['src-main/cli', 'src-main/cli/commands', 'src-main/cli/support'], ['src-main/engine/p', 'src-main/engine/q']]);
  });

  it('counts a kind folder as part of its parent, and still finds a loop through it', () => {
    const root = tempDir('weir-loops-');
    plant(root, {
      // the registry lists the kinds, each kind is written against the parent's definitions: one folder
      'shared/nodes/kinds.ts': "import { k } from './kind-a';\nexport const kinds = [k];\n",
      'shared/nodes/define.ts': 'export const define = (x: string) => x;\n',
      'shared/nodes/kind-a/index.ts': "import { define } from '../define';\nexport const k = define('a');\n",
    });
    expect(folderLoops(folderGraph(root, ['shared']))).toEqual([]);
    // a kind reaching into a folder that imports the registry back is a loop
    plant(root, {
      'shared/nodes/kind-a/uses-pipeline.ts': "import '../../pipeline/schema';\n",
      'shared/pipeline/schema.ts': "import '../nodes/kinds';\n",
    });
    expect(folderLoops(folderGraph(root, ['shared']))).toEqual([['shared/nodes', 'shared/pipeline']]);
  });
});
