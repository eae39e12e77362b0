import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './shared/csp';

const root = import.meta.dirname;

/**
 * The built page carries its CSP in a meta tag (a page loaded from file:// gets no HTTP
 * headers). Only in builds: the dev server's hot reload needs an inline script.
 */
const CSP = contentSecurityPolicy({ connect: ['ws://127.0.0.1:*', 'ws://localhost:*'], frameAncestors: false });

const cspMeta = (): Plugin => ({
  name: 'weir-csp-meta',
  apply: 'build',
  transformIndexHtml: (html) => html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
});

/** The renderer alone, also used by the e2e tests to build just the UI. */
export const rendererConfig = {
  root: resolve(root, 'src-renderer'),
  // Relative asset URLs: the same build loads from file:// (desktop) and http://127.0.0.1 (browser shell).
  base: './',
  build: {
    chunkSizeWarningLimit: 4000,
    rolldownOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
  },
  plugins: [react(), cspMeta()],
};

export default defineConfig({
  main: {
    build: {
      rolldownOptions: { input: { index: resolve(root, 'src-main/electron/main.ts') } },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require modules: one CommonJS file with everything in it.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
