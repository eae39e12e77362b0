import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('../../', import.meta.url));
const eslint = new ESLint({ cwd });

/** Lints code as if it were a file at `path`, without writing it anywhere. */
async function violations(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${cwd}${path}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layer rule (DESIGN: shells → api → engine → shared)', () => {
  it('refuses Electron in the engine and in shared/', async () => {
    expect(await violations('src-main/engine/run/planted.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
    expect(await violations('shared/planted.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n")).toHaveLength(1);
  });

  it('refuses Node modules in shared/ and in the renderer', async () => {
    expect(await violations('shared/planted.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toHaveLength(1);
    expect(await violations('shared/planted.ts', "import { join } from 'path';\nexport const x = join;\n")).toHaveLength(1);
    expect(await violations('src-renderer/planted.ts', "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n")).toHaveLength(1);
  });

  it('refuses the main process in the renderer, and the shells in the engine', async () => {
    expect(await violations('src-renderer/planted.ts', "import { runPipelineFile } from '../src-main/engine/run/run-pipeline';\nexport const x = runPipelineFile;\n")).toHaveLength(1);
    expect(await violations('src-main/engine/planted.ts', "import { main } from '../cli/main';\nexport const x = main;\n")).toHaveLength(1);
    expect(await violations('shared/planted.ts', "import { duckdb } from '../src-main/engine/duckdb/instance';\nexport const x = duckdb;\n")).toHaveLength(1);
  });

  it('allows what the matrix allows', async () => {
    expect(await violations('src-main/engine/planted.ts', "import { readFileSync } from 'node:fs';\nimport { parsePipeline } from '../../shared/pipeline/parse';\nexport const x = [readFileSync, parsePipeline];\n")).toEqual([]);
    expect(await violations('src-renderer/planted.ts', "import { z } from 'zod';\nimport { findCycle } from '../shared/pipeline/graph';\nexport const x = [z, findCycle];\n")).toEqual([]);
    expect(await violations('shared/run/planted.ts', "import type { RunEvent } from './events';\nexport type X = RunEvent;\n")).toEqual([]);
  });
});
