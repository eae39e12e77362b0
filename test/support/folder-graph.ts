import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

// The folder-level import graph of the sources (test/unit/folder-loops.test.ts): which folder
// imports which, and the loops among them. The lint rule (lint/layers.js) says what a folder
// role may import; this says that, inside a role, folders still depend one way.

/**
 * Folders whose subfolders are plug-ins of theirs: one folder per node or connection kind,
 * written against the parent's definitions and listed by the parent's registry
 * (test/unit/nodes/definitions.test.ts: the parent holds the kind folders and nothing else).
 * A kind folder counts as part of its parent; the engine's halves of kinds
 * (src-main/engine/nodes/<kind>/) already do, being one level deeper.
 */
export const PLUGIN_PARENTS = ['shared/nodes', 'shared/connections'];

/** A file's folder: the first three segments of its directory (`src-main/engine/run`, `shared/nodes`). */
export function folderOf(root: string, file: string): string {
  const folder = relative(root, dirname(file)).split(sep).slice(0, 3).join('/');
  const parent = PLUGIN_PARENTS.find((p) => folder.startsWith(`${p}/`));
  return parent ?? folder;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Where a relative import lands: the file, with its extension, or a folder's index. */
function resolveModule(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return base;
}

/** from folder → to folder → one import that makes the edge (`file -> module`), for messages. */
export type FolderGraph = Map<string, Map<string, string>>;

/**
 * Every relative import of the .ts/.tsx files under `dirs` (relative to `root`) between two
 * folders: static imports and re-exports, `import type`, `import()` and `require()`, as
 * TypeScript's own scanner finds them (ts.preProcessFile).
 */
export function folderGraph(root: string, dirs: readonly string[]): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of dirs.flatMap((d) => sources(join(root, d)))) {
    const found = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles;
    for (const { fileName: spec } of found) {
      if (!spec.startsWith('.')) continue;
      const target = resolveModule(file, spec);
      const from = folderOf(root, file);
      const to = folderOf(root, target);
      if (from === to) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      const out = graph.get(from)!;
      if (!out.has(to)) out.set(to, `${relative(root, file)} -> ${relative(root, target)}`);
    }
  }
  return graph;
}

/** The loops of the graph (Tarjan's strongly connected components of more than one folder), each sorted. */
export function folderLoops(graph: FolderGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) loops.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return loops.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** A loop as one line per import inside it, so a failure says which imports to break. */
export function describeLoop(graph: FolderGraph, loop: readonly string[]): string {
  const edges = loop.flatMap((a) => loop.filter((b) => graph.get(a)?.has(b)).map((b) => `  ${a} -> ${b}: ${graph.get(a)!.get(b)}`));
  return [`loop: ${loop.join(', ')}`, ...edges].join('\n');
}
