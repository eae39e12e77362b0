import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { WeirError, PipelineInvalidError } from '../../../shared/errors';
import { parsePipeline, type ParsedPipeline } from '../../../shared/pipeline/parse';

export interface LoadedPipeline extends ParsedPipeline {
  path: string;
  text: string;
  sha256: string;
}

export async function loadPipelineFile(path: string): Promise<LoadedPipeline> {
  const abs = resolve(path);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PipelineInvalidError(path, [{ path: '', message: 'no such pipeline file' }]);
    if (code === 'EISDIR') throw new PipelineInvalidError(path, [{ path: '', message: 'is a folder, expected a *.weir.json file' }]);
    throw new WeirError('invalid', `${path}: cannot read (${(e as Error).message})`);
  }
  const parsed = parsePipeline(text, path);
  return { ...parsed, path: abs, text, sha256: createHash('sha256').update(text).digest('hex') };
}
