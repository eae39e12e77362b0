import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openRegularAppend, readRegularFile, readRegularFileSync, readRegularText } from '../../../src-main/engine/host/regular-file';
import { tempDir } from '../../support/temp-dir';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('readRegularFile: a workspace file is read only when it is a regular file', () => {
  const dir = tempDir('weir-regular-');
  writeFileSync(join(dir, 'plain.json'), '{"a":1}');
  execFileSync('mkfifo', [join(dir, 'pipe.json')]);
  mkdirSync(join(dir, 'folder'));

  it('reads a regular file', async () => {
    expect(await readRegularText(join(dir, 'plain.json'))).toBe('{"a":1}');
    expect(readRegularFileSync(join(dir, 'plain.json')).toString()).toBe('{"a":1}');
  });

  it('refuses a FIFO at once, asynchronously and synchronously, naming it', async () => {
    await expect(readRegularFile(join(dir, 'pipe.json'))).rejects.toThrow(/pipe\.json is a named pipe \(FIFO\), expected a regular file/);
    expect(() => readRegularFileSync(join(dir, 'pipe.json'))).toThrow(/pipe\.json is a named pipe \(FIFO\)/);
    // Appending to a FIFO would wait for a reader: refused too.
    await expect(openRegularAppend(join(dir, 'pipe.json'))).rejects.toThrow(/pipe\.json is a named pipe \(FIFO\)/);
  });

  it('refuses a device and a folder', async () => {
    await expect(readRegularFile('/dev/zero')).rejects.toThrow(/\/dev\/zero is a device/);
    await expect(readRegularFile(join(dir, 'folder'))).rejects.toThrow(/folder is a folder/);
  });

  it('a missing file is still ENOENT (callers treat it as absent)', async () => {
    await expect(readRegularFile(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

/**
 * The class stays closed: below the shells, files are read through host/regular-file.ts (or
 * pipeline/read-text.ts for pipeline and workspace files), never with a plain readFile that a
 * FIFO planted in a workspace would block forever. The few plain reads left read files Weir
 * itself just wrote, or files the operator names outside any workspace.
 */
const PLAIN_READS_ALLOWED = new Set([
  // The evidence folder this very command has just written, zipped.
  'src-main/engine/audit/evidence/zip-package.ts',
  // Signer key files live in the user's key folder, not in a workspace.
  'src-main/engine/audit/signatures/key-store.ts',
  // PGSSLROOTCERT: a path from the operator's environment.
  'src-main/engine/postgres/connect.ts',
  // A staged upload file of this run's scratch folder.
  'src-main/engine/storage/s3-store.ts',
  // Source files whose kind was checked (a file, by stat) before they are hashed.
  'src-main/engine/storage/file-hash.ts',
  // The run's own NDJSON parts, written a moment before.
  'src-main/engine/nodes/http-source/fetch.ts',
  // The designer's list of recent workspaces, in the user's config folder.
  'src-main/api/home.ts',
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/'));
}

describe('no plain file reads in the engine and the API service', () => {
  it('every read goes through the helpers (or is on the short list above)', () => {
    const offenders: string[] = [];
    for (const file of [...sources(join(ROOT, 'src-main/engine')), ...sources(join(ROOT, 'src-main/api'))]) {
      if (PLAIN_READS_ALLOWED.has(file) || file.endsWith('host/regular-file.ts') || file.endsWith('pipeline/read-text.ts')) continue;
      const text = readFileSync(join(ROOT, file), 'utf8');
      if (/(?<![.\w])(readFile|readFileSync|createReadStream)\(/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
