// Layers (DESIGN "One engine, three shells"): dependencies point one way,
// shells → api → engine → shared, and the renderer reaches the main process only through
// the API contract in shared/. test/unit/layers.test.ts plants a violation to prove this
// rule fires.
import tseslint from 'typescript-eslint';

import { builtinModules } from 'node:module';

/** no-restricted-imports patterns; each group says why it is refused. Bare Node builtins are
 * exact names (a pattern "events" would also match a local "./events"). */
const refuse = (groups, { noNode = false } = {}) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: groups.map(([group, message]) => ({ group, message })),
      paths: noNode ? builtinModules.map((name) => ({ name, message: nodeBuiltins[1] })) : [],
    },
  ],
});

const electron = [['electron', 'electron/*'], 'Only src-main/electron (and the preload) may import Electron.'];
const nodeBuiltins = [['node:*'], 'shared/ and the renderer run in a browser too: no Node modules.'];
const mainProcess = [['**/src-main/**', '../src-main/*', '../../src-main/*'], 'The renderer talks to the main process only through the API contract in shared/.'];
const shells = [['**/electron/**', '**/server/**', '**/cli/**', '**/api/**'], 'The engine knows nothing of the shell that runs it.'];
const engineFromShared = [['**/src-main/**', '**/engine/**'], 'shared/ imports nothing from the main process.'];
const rendererFromShared = [['**/src-renderer/**'], 'shared/ imports nothing from the renderer.'];
const heavyLibs = [['@duckdb/*', 'pg', 'pg-*', '@aws-sdk/*', 'ws', 'react', 'react-dom', '@xyflow/*', 'monaco-editor', 'zustand'], 'shared/ uses small pure libraries only (zod).'];
const otherShells = (self) => [
  [['electron', 'server', 'cli'].filter((s) => s !== self).map((s) => `**/${s}/**`)].flat(),
  'A shell uses the api and the engine, never another shell.',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'bin/**', 'schema/**', 'test-artifacts/**', 'templates/**/data/**'] },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['shared/**/*.ts'], rules: refuse([electron, nodeBuiltins, engineFromShared, rendererFromShared, heavyLibs], { noNode: true }) },
  { files: ['src-main/engine/**/*.ts'], rules: refuse([electron, shells, [['**/src-renderer/**'], 'The engine never imports the renderer.']]) },
  { files: ['src-main/api/**/*.ts'], rules: refuse([electron, [['**/electron/**', '**/server/**', '**/cli/**'], 'The api serves every shell and imports none.'], [['**/src-renderer/**'], 'No renderer code in the main process.']]) },
  { files: ['src-main/server/**/*.ts'], rules: refuse([electron, otherShells('server'), [['**/src-renderer/**'], 'No renderer code in the main process.']]) },
  { files: ['src-main/cli/**/*.ts'], rules: refuse([electron, otherShells('cli'), [['**/src-renderer/**'], 'No renderer code in the main process.']]) },
  // `weir serve` is the CLI's way to start the browser shell: the one place a shell may load another.
  { files: ['src-main/cli/commands/serve.ts'], rules: refuse([electron, [['**/electron/**'], 'A shell uses the api and the engine, never another shell.'], [['**/src-renderer/**'], 'No renderer code in the main process.']]) },
  { files: ['src-main/electron/**/*.ts'], rules: refuse([otherShells('electron'), [['**/src-renderer/**'], 'No renderer code in the main process.']]) },
  { files: ['src-renderer/**/*.{ts,tsx}'], rules: refuse([electron, nodeBuiltins, mainProcess], { noNode: true }) },
);
