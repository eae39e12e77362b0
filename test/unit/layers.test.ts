import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('../../', import.meta.url));
const eslint = new ESLint({ cwd });

/** Lints code as if it were a file at `path`, without writing it anywhere: the layer rule's messages. */
async function violations(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${cwd}${path}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'weir/layers').map((m) => m.message);
}

/** One import of `spec` from a file at `path`. */
const importing = (path: string, spec: string) => violations(path, `import * as m from '${spec}';\nexport const x = m;\n`);

describe('the layer rule (DESIGN: shells → api → engine → shared; one front door into the engine)', () => {
  it('shared/ imports shared/ and zod only', async () => {
    expect(await importing('shared/planted.ts', 'electron')).toEqual([expect.stringContaining('shared/ may not import the package "electron"')]);
    expect(await importing('shared/planted.ts', 'node:fs')).toEqual([expect.stringContaining(`shared/ may not import Node's "node:fs"`)]);
    expect(await importing('shared/planted.ts', 'path')).toHaveLength(1);
    expect(await importing('shared/planted.ts', '../src-main/engine/duckdb/instance')).toEqual([expect.stringContaining('may not import src-main/engine/duckdb/instance')]);
    expect(await importing('shared/planted.ts', '../src-main/engine')).toHaveLength(1);
    expect(await importing('shared/planted.ts', '../src-renderer/state/doc-store')).toHaveLength(1);
    expect(await importing('shared/planted.ts', 'react')).toHaveLength(1);
    expect(await importing('shared/planted.ts', 'pg')).toHaveLength(1);
    expect(await importing('shared/run/planted.ts', 'zod')).toEqual([]);
    expect(await violations('shared/run/planted.ts', "import type { RunEvent } from './events';\nimport { findCycle } from '../pipeline/graph';\nexport type X = RunEvent;\nexport const y = findCycle;\n")).toEqual([]);
  });

  it('the engine imports itself, shared/, Node and its libraries, never a shell or the renderer', async () => {
    expect(await importing('src-main/engine/run/planted.ts', 'electron')).toEqual([expect.stringContaining('the engine may not import the package "electron"')]);
    expect(await importing('src-main/engine/planted.ts', '../cli/main')).toEqual([expect.stringContaining('may not import src-main/cli/main')]);
    expect(await importing('src-main/engine/planted.ts', '../api/service')).toHaveLength(1);
    expect(await importing('src-main/engine/planted.ts', '../server/server')).toHaveLength(1);
    expect(await importing('src-main/engine/planted.ts', '../../src-renderer/App')).toHaveLength(1);
    expect(await importing('src-main/engine/planted.ts', 'react')).toHaveLength(1);
    const allowed = "import { readFileSync } from 'node:fs';\nimport { parsePipeline } from '../../../shared/pipeline/parse';\nimport { DuckDBInstance } from '@duckdb/node-api';\nimport type pg from 'pg';\nimport { ident } from '../duckdb/sql';\nexport type P = pg.Client;\nexport const x = [readFileSync, parsePipeline, DuckDBInstance, ident];\n";
    expect(await violations('src-main/engine/run/planted.ts', allowed)).toEqual([]);
  });

  it('the api, the CLI, the browser shell, the MCP shell, the desktop shell and the benchmarks reach the engine only through its front door', async () => {
    for (const [path, up] of [
      ['src-main/api/planted.ts', '../'],
      ['src-main/cli/planted.ts', '../'],
      ['src-main/cli/commands/planted.ts', '../../'],
      ['src-main/server/planted.ts', '../'],
      ['src-main/mcp/planted.ts', '../'],
      ['src-main/electron/planted.ts', '../'],
      ['bench/planted.ts', '../src-main/'],
      ['scripts/planted.ts', '../src-main/'],
    ] as const) {
      expect(await importing(path, `${up}engine/run/run-pipeline`), path).toEqual([expect.stringContaining('may not import src-main/engine/run/run-pipeline')]);
      expect(await importing(path, `${up}engine/duckdb/instance`), path).toHaveLength(1);
      expect(await importing(path, `${up}engine`), path).toEqual([]);
      expect(await importing(path, `${up}engine/index`), path).toEqual([]);
    }
  });

  it('each shell stays in its lane: the api imports no shell, a shell no other shell (but weir serve and weir mcp)', async () => {
    expect(await importing('src-main/api/planted.ts', '../cli/main')).toHaveLength(1);
    expect(await importing('src-main/api/planted.ts', '../server/server')).toHaveLength(1);
    expect(await importing('src-main/api/planted.ts', '../electron/secrets')).toHaveLength(1);
    expect(await importing('src-main/api/planted.ts', 'electron')).toHaveLength(1);
    expect(await importing('src-main/api/planted.ts', 'ws')).toHaveLength(1);
    expect(await importing('src-main/cli/main-planted.ts', '../server/browser-shell')).toHaveLength(1);
    expect(await importing('src-main/cli/commands/serve.ts', '../../server/browser-shell')).toEqual([]);
    expect(await importing('src-main/cli/commands/serve.ts', '../../electron/main')).toHaveLength(1);
    expect(await importing('src-main/cli/planted.ts', '../api/service')).toHaveLength(1);
    // weir mcp starts the MCP shell as weir serve starts the browser shell; no other command may.
    expect(await importing('src-main/cli/commands/mcp.ts', '../../mcp/server')).toEqual([]);
    expect(await importing('src-main/cli/commands/mcp.ts', '../../server/browser-shell')).toHaveLength(1);
    expect(await importing('src-main/cli/commands/run.ts', '../../mcp/server')).toHaveLength(1);
    expect(await importing('src-main/cli/commands/mcp.ts', '@modelcontextprotocol/sdk/server/mcp.js')).toHaveLength(1);
    // The MCP shell serves the api (and only it) with the SDK.
    expect(await importing('src-main/mcp/planted.ts', '../api/service')).toEqual([]);
    expect(await importing('src-main/mcp/tools/planted.ts', '@modelcontextprotocol/sdk/server/mcp.js')).toEqual([]);
    expect(await importing('src-main/mcp/planted.ts', '../server/server')).toHaveLength(1);
    expect(await importing('src-main/mcp/planted.ts', '../cli/main')).toHaveLength(1);
    expect(await importing('src-main/mcp/planted.ts', 'electron')).toHaveLength(1);
    expect(await importing('src-main/mcp/planted.ts', 'ws')).toHaveLength(1);
    expect(await importing('src-main/api/planted.ts', '../mcp/server')).toHaveLength(1);
    expect(await importing('src-main/api/planted.ts', '@modelcontextprotocol/sdk/server/mcp.js')).toHaveLength(1);
    expect(await importing('src-main/server/planted.ts', '../api/service')).toEqual([]);
    expect(await importing('src-main/server/planted.ts', '../cli/main')).toHaveLength(1);
    expect(await importing('src-main/server/planted.ts', 'electron')).toHaveLength(1);
    expect(await importing('src-main/electron/planted.ts', '../api/service')).toEqual([]);
    expect(await importing('src-main/electron/planted.ts', 'electron')).toEqual([]);
    expect(await importing('src-main/electron/planted.ts', '../server/server')).toHaveLength(1);
    expect(await importing('src-main/electron/planted.ts', '../cli/main')).toHaveLength(1);
    for (const path of ['src-main/api/planted.ts', 'src-main/cli/planted.ts', 'src-main/server/planted.ts', 'src-main/mcp/planted.ts', 'src-main/electron/planted.ts']) {
      expect(await importing(path, '../../src-renderer/App'), path).toHaveLength(1);
      expect(await importing(path, 'node:path'), path).toEqual([]);
      expect(await importing(path, '../../shared/errors'), path).toEqual([]);
    }
  });

  it('the preload imports Electron and the API contract only: one sandboxed bundle', async () => {
    expect(await importing('src-main/electron/preload/planted.ts', 'electron')).toEqual([]);
    expect(await importing('src-main/electron/preload/planted.ts', '../../../shared/api/names')).toEqual([]);
    expect(await importing('src-main/electron/preload/planted.ts', '../../engine')).toEqual([expect.stringContaining('the preload may not import src-main/engine/index')]);
    expect(await importing('src-main/electron/preload/planted.ts', '../../api/service')).toHaveLength(1);
    expect(await importing('src-main/electron/preload/planted.ts', '../../../shared/pipeline/parse')).toHaveLength(1);
    expect(await importing('src-main/electron/preload/planted.ts', 'node:fs')).toHaveLength(1);
  });

  it('the renderer imports shared/ and browser libraries only', async () => {
    expect(await importing('src-renderer/planted.ts', '../src-main/engine/run/run-pipeline')).toEqual([expect.stringContaining('the renderer may not import src-main/engine/run/run-pipeline')]);
    expect(await importing('src-renderer/planted.ts', '../src-main/engine')).toHaveLength(1);
    expect(await importing('src-renderer/planted.ts', '../src-main/api/service')).toHaveLength(1);
    expect(await importing('src-renderer/planted.ts', 'fs')).toHaveLength(1);
    expect(await importing('src-renderer/planted.ts', 'pg')).toEqual([expect.stringContaining('the renderer may not import the package "pg"')]);
    expect(await importing('src-renderer/planted.ts', '@duckdb/node-api')).toHaveLength(1);
    expect(await importing('src-renderer/planted.ts', 'electron')).toHaveLength(1);
    const allowed = "import { z } from 'zod';\nimport { create } from 'zustand';\nimport { useState } from 'react';\nimport { findCycle } from '../shared/pipeline/graph';\nimport './planted.css';\nexport const x = [z, create, useState, findCycle];\n";
    expect(await violations('src-renderer/planted.ts', allowed)).toEqual([]);
  });

  it('judges import(), require() made by createRequire, re-exports, import type and import = require too', async () => {
    const api = 'src-main/api/planted.ts';
    expect(await violations(api, "export async function f() {\n  return (await import('../engine/run/run-pipeline')).runPipelineFile;\n}\n")).toHaveLength(1);
    expect(await violations(api, "export async function f() {\n  return (await import(`../engine/gc/collect`)).collectGarbage;\n}\n")).toHaveLength(1);
    expect(await violations(api, "export async function f(name: string) {\n  return import(name);\n}\n")).toEqual([expect.stringContaining('import() of a computed path cannot be checked')]);
    expect(await violations(api, "export async function f() {\n  return (await import('../engine')).createEngine;\n}\n")).toEqual([]);
    expect(await violations(api, "export { runPipelineFile } from '../engine/run/run-pipeline';\n")).toHaveLength(1);
    expect(await violations(api, "export * from '../engine/run/plan';\n")).toHaveLength(1);
    expect(await violations(api, "import type { Plan } from '../engine/run/plan';\nexport type P = Plan;\n")).toHaveLength(1);
    expect(await violations(api, "export type P = import('../engine/run/plan').Plan;\n")).toHaveLength(1);
    expect(await violations('src-renderer/planted.ts', "import { createRequire } from 'module';\nconst load = createRequire(import.meta.url);\nexport const pg = load('pg');\n")).toEqual([
      expect.stringContaining(`Node's "module"`),
      expect.stringContaining('the package "pg"'),
    ]);
    expect(await violations('src-main/api/planted.ts', "import { createRequire } from 'node:module';\nexport const run = createRequire(import.meta.url)('../engine/run/run-pipeline');\n")).toHaveLength(1);
    expect(await violations('src-main/engine/planted.ts', "export const e = require('electron');\n")).toHaveLength(1);
    expect(await violations('src-main/engine/planted.ts', "import e = require('electron');\nexport const x = e;\n")).toHaveLength(1);
  });

  it('tests have no role: they may test the engine from the inside', async () => {
    expect(await importing('test/unit/planted.test.ts', '../../src-main/engine/run/run-pipeline')).toEqual([]);
    expect(await importing('test/unit/planted.test.ts', 'electron')).toEqual([]);
  });
});
