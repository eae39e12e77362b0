import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineInvalidError } from '../../../shared/errors';
import { loadPipelineFile } from '../../../src-main/engine/pipeline/load';
import { MAX_TEXT_FILE_BYTES, readTextFile, readTextFileSync } from '../../../src-main/engine/pipeline/read-text';
import { findWorkspace } from '../../../src-main/engine/workspace/workspace';
import { tempDir } from '../../support/temp-dir';

const dir = tempDir();
const at = (name: string) => join(dir, name);
const valid = JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes: [], layout: {} });

async function refusal(path: string): Promise<string> {
  const e = await readTextFile(path, 'pipeline file', 'f').then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(PipelineInvalidError);
  // The synchronous reader refuses the same way.
  expect(() => readTextFileSync(path, 'pipeline file', 'f')).toThrow((e as Error).message);
  return (e as Error).message;
}

describe('reading a file a user named: only regular UTF-8 files, never a hang', () => {
  it('refuses a FIFO at once (a plain read would wait for a writer forever)', async () => {
    execFileSync('mkfifo', [at('pipe.weir.json')]);
    const started = Date.now();
    expect(await refusal(at('pipe.weir.json'))).toBe('f: is a named pipe (FIFO), expected a pipeline file');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses devices, also through a symlink (git can commit one pointing at /dev/zero)', async () => {
    symlinkSync('/dev/zero', at('zero.weir.json'));
    expect(await refusal(at('zero.weir.json'))).toBe('f: is a device, expected a pipeline file');
    expect(await refusal('/dev/null')).toBe('f: is a device, expected a pipeline file');
  });

  it('refuses a folder and a missing file', async () => {
    mkdirSync(at('folder.weir.json'));
    expect(await refusal(at('folder.weir.json'))).toBe('f: is a folder, expected a pipeline file');
    expect(await refusal(at('missing.weir.json'))).toBe('f: no such pipeline file');
    expect(await refusal(at('missing/deeper.weir.json'))).toBe('f: no such pipeline file');
  });

  it('refuses a binary file, naming the first byte that is not UTF-8 and its line', async () => {
    writeFileSync(at('bin.weir.json'), Buffer.from([0x7b, 0x0a, 0x22, 0xff, 0xfe, 0x00]));
    expect(await refusal(at('bin.weir.json'))).toBe('f: not UTF-8 text (a binary file?): byte \\xff at line 2, byte offset 3');
    // Overlong and surrogate encodings are not UTF-8 either.
    writeFileSync(at('overlong.weir.json'), Buffer.from([0x41, 0xc0, 0xaf]));
    expect(await refusal(at('overlong.weir.json'))).toContain('byte \\xc0 at line 1, byte offset 1');
    writeFileSync(at('surrogate.weir.json'), Buffer.from([0x41, 0xed, 0xa0, 0x80]));
    expect(await refusal(at('surrogate.weir.json'))).toContain('byte \\xed at line 1, byte offset 1');
  });

  it('refuses a file over the size limit without reading it', async () => {
    writeFileSync(at('huge.weir.json'), '');
    truncateSync(at('huge.weir.json'), MAX_TEXT_FILE_BYTES + 1); // sparse: nothing is written
    expect(await refusal(at('huge.weir.json'))).toMatch(/^f: is 128 MiB; pipeline file over 128 MiB is refused$/);
  });

  it('reads UTF-8 text, dropping a byte order mark, and keeps the bytes as read for the file hash', async () => {
    writeFileSync(at('bom.weir.json'), '\ufeff{"é": 1}');
    const r = await readTextFile(at('bom.weir.json'), 'pipeline file');
    expect(r.text).toBe('{"é": 1}');
    expect(r.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(readTextFileSync(at('bom.weir.json'), 'pipeline file').text).toBe('{"é": 1}');
  });

  it('loadPipelineFile accepts a BOM and hashes the file as it is on disk', async () => {
    writeFileSync(at('bom-pipeline.weir.json'), '\ufeff' + valid);
    const loaded = await loadPipelineFile(at('bom-pipeline.weir.json'));
    expect(loaded.pipeline.name).toBe('p');
    const { createHash } = await import('node:crypto');
    expect(loaded.sha256).toBe(createHash('sha256').update(Buffer.from('\ufeff' + valid)).digest('hex'));
  });

  it('a weir.workspace.json that is a FIFO is refused, not waited on', () => {
    const ws = at('ws');
    mkdirSync(join(ws, 'pipelines'), { recursive: true });
    execFileSync('mkfifo', [join(ws, 'weir.workspace.json')]);
    expect(() => findWorkspace(join(ws, 'pipelines'))).toThrow(/weir\.workspace\.json: is a named pipe \(FIFO\), expected a workspace file$/);
  });
});
