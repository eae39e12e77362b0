// Layers (DESIGN "One engine, three shells"): dependencies point one way, shells → api →
// engine → shared, the engine is reached only through its front door
// (src-main/engine/index.ts), and the renderer reaches the main process only through the API
// contract in shared/. Each folder role says what it may import (an allow-list: anything not
// named is refused, npm packages included); lint/layers.js applies it to static imports,
// re-exports, import() and require(). test/unit/layers.test.ts plants a violation of each
// role to prove the rule fires.
//
// Tests (test/**) have no role: they test units, so they may import the engine's internals.
import tseslint from 'typescript-eslint';
import { fileURLToPath } from 'node:url';
import { layersPlugin } from './lint/layers.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const FRONT_DOOR = 'src-main/engine/index.ts';

/** Most specific first: a file takes the first role whose folder it is in. */
const roles = [
  {
    name: 'shared/',
    files: ['shared/'],
    paths: ['shared/'],
    packages: ['zod'],
    node: false,
    says: 'shared/ runs in the browser and in the engine: it imports shared/ and zod only',
  },
  {
    name: 'the engine',
    files: ['src-main/engine/'],
    paths: ['src-main/engine/', 'shared/'],
    packages: ['@duckdb/node-api', '@duckdb/node-bindings', 'pg', 'pg-copy-streams', '@aws-sdk/client-s3', 'zod'],
    node: true,
    says: 'the engine imports itself, shared/, Node and its own libraries (DuckDB, pg, the S3 client, zod), never a shell',
  },
  {
    name: 'src-main/api',
    files: ['src-main/api/'],
    paths: ['src-main/api/', FRONT_DOOR, 'shared/'],
    packages: [],
    node: true,
    says: `the api serves every shell: it imports the engine's front door (${FRONT_DOOR}), shared/ and Node`,
  },
  {
    // `weir serve` is the CLI's way to start the browser shell: the one place a shell loads another.
    name: 'weir serve',
    files: ['src-main/cli/commands/serve.ts'],
    paths: ['src-main/cli/', 'src-main/server/', FRONT_DOOR, 'shared/'],
    packages: [],
    node: true,
    says: `the CLI imports its own code, the engine's front door (${FRONT_DOOR}), shared/ and Node; serve also the browser shell`,
  },
  {
    // `weir mcp` starts the MCP shell the same way.
    name: 'weir mcp',
    files: ['src-main/cli/commands/mcp.ts'],
    paths: ['src-main/cli/', 'src-main/mcp/', FRONT_DOOR, 'shared/'],
    packages: [],
    node: true,
    says: `the CLI imports its own code, the engine's front door (${FRONT_DOOR}), shared/ and Node; mcp also the MCP shell`,
  },
  {
    name: 'the CLI',
    files: ['src-main/cli/'],
    paths: ['src-main/cli/', FRONT_DOOR, 'shared/'],
    packages: [],
    node: true,
    says: `the CLI imports its own code, the engine's front door (${FRONT_DOOR}), shared/ and Node`,
  },
  {
    name: 'the browser shell',
    files: ['src-main/server/'],
    paths: ['src-main/server/', 'src-main/api/', FRONT_DOOR, 'shared/'],
    packages: ['ws', 'zod'],
    node: true,
    says: `the browser shell serves the api: it imports the api, the engine's front door (${FRONT_DOOR}), shared/, Node, ws and zod`,
  },
  {
    name: 'the MCP shell',
    files: ['src-main/mcp/'],
    paths: ['src-main/mcp/', 'src-main/api/', FRONT_DOOR, 'shared/'],
    packages: ['@modelcontextprotocol/sdk', 'zod'],
    node: true,
    says: `the MCP shell serves the api to an assistant: it imports the api, the engine's front door (${FRONT_DOOR}), shared/, Node, the MCP SDK and zod`,
  },
  {
    name: 'the preload',
    files: ['src-main/electron/preload/'],
    paths: ['src-main/electron/preload/', 'shared/api/'],
    packages: ['electron'],
    node: false,
    says: "the preload is one sandboxed bundle: it imports Electron and the API contract's names and types (shared/api/) only",
  },
  {
    name: 'the desktop shell',
    files: ['src-main/electron/'],
    paths: ['src-main/electron/', 'src-main/api/', FRONT_DOOR, 'shared/'],
    packages: ['electron'],
    node: true,
    says: `the desktop shell imports Electron, the api, the engine's front door (${FRONT_DOOR}), shared/ and Node`,
  },
  {
    name: 'the renderer',
    files: ['src-renderer/'],
    paths: ['src-renderer/', 'shared/'],
    packages: ['react', 'react-dom', 'zustand', '@xyflow/react', 'monaco-editor', 'sql-formatter', 'zod', 'react-resizable-panels', 'elkjs', 'uplot'],
    node: false,
    says: 'the renderer talks to the main process only through the API contract in shared/, and imports browser libraries only (React, zustand, React Flow, Monaco, sql-formatter, zod, react-resizable-panels, elkjs, uPlot)',
  },
  {
    name: 'bench/',
    files: ['bench/'],
    paths: ['bench/', FRONT_DOOR, 'shared/', 'test/support/', 'test/e2e/support/'],
    // The raw baselines the figures are measured against.
    packages: ['@duckdb/node-api', '@aws-sdk/client-s3', 'playwright-core'],
    node: true,
    says: `the benchmarks measure the engine through its front door (${FRONT_DOOR}) against raw libraries; they may use shared/ and the tests' support code`,
  },
  {
    name: 'scripts/',
    files: ['scripts/'],
    paths: ['scripts/', FRONT_DOOR, 'shared/'],
    packages: ['esbuild'],
    node: true,
    says: `scripts use the engine through its front door (${FRONT_DOOR}) and shared/`,
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'bin/**', 'schema/**', 'test-artifacts/**', 'templates/**/data/**'] },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin, weir: layersPlugin(root, roles) },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'weir/layers': 'error',
    },
  },
);
