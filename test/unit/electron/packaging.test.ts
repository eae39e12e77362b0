// Installers cannot be built here (Electron's binary download is blocked), so this checks
// the electron-builder configuration for what the app needs at run time.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const yml = readFileSync(join(repo, 'resources/electron-builder.yml'), 'utf8');

describe('the electron-builder configuration', () => {
  it('targets AppImage, deb, dmg and nsis', () => {
    expect(yml).toMatch(/linux:\n(?:.*\n)*?\s+target: \[AppImage, deb\]/);
    expect(yml).toMatch(/mac:\n\s+target: \[dmg\]/);
    expect(yml).toMatch(/win:\n\s+target: \[nsis\]/);
  });

  it('unpacks DuckDB from the asar, ships the templates and the built app, and has its icons', () => {
    expect(yml).toContain('node_modules/@duckdb/**');
    expect(yml).toMatch(/- from: templates\n\s+to: templates/);
    expect(yml).toContain('- out/**/*');
    for (const icon of ['resources/icon.png', 'resources/icons/512x512.png', 'resources/icons/16x16.png']) expect(existsSync(join(repo, icon)), icon).toBe(true);
    const png = readFileSync(join(repo, 'resources/icon.png'));
    expect(png.readUInt32BE(16)).toBe(1024); // width in the IHDR chunk
  });

  it('points package.json main at the built main process', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('out/main/index.js');
  });
});
