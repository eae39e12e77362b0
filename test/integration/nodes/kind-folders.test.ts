import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeKindIndex } from '../../../scripts/gen-kind-index.mjs';
import { exampleKindFiles, treeCopy } from '../../support/kind-tree';

/**
 * Issue #14, "adding a node kind touches one folder in shared/nodes/ and one in
 * src-main/engine/nodes/": in a copy of the tree, the example kind's two folders and the
 * generator make a tree that type-checks; without the runtime folder it does not, and the
 * compiler names the kind. (The unit test kind-index.test.ts loads it; this one compiles it,
 * which takes the TypeScript compiler a while.)
 */
const root = join(import.meta.dirname, '../../..');

/** tsc over what the two indexes import (every kind's both halves), with the project's options. */
function typecheck(copy: string): { status: number | null; output: string } {
  const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
  writeFileSync(
    join(copy, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...compilerOptions, lib: ['ES2023'] }, files: ['shared/nodes/registry.ts', 'src-main/engine/nodes/registry.ts'] }),
  );
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(copy, 'tsconfig.json')], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('a new kind is one folder on each side', () => {
  it('type-checks with its two folders and the generated indexes, and not without its runtime', () => {
    const copy = treeCopy(exampleKindFiles(), 'weir-kind-folders-');
    writeKindIndex(copy);
    const whole = typecheck(copy);
    expect(whole.output).toBe('');
    expect(whole.status).toBe(0);

    rmSync(join(copy, 'src-main/engine/nodes/limit'), { recursive: true });
    writeKindIndex(copy);
    const half = typecheck(copy);
    expect(half.status).not.toBe(0);
    expect(half.output).toMatch(/runtimes\.generated\.ts\(\d+,\d+\): error TS1360: [^\n]* does not satisfy the expected type 'Runtimes'\.\n\s+Property 'limit' is missing/);
  }, 300_000);
});
