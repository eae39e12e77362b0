import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { parsePipeline, type ParsedPipeline } from '../../../shared/pipeline/parse';
import { readTextFile } from './read-text';

export interface LoadedPipeline extends ParsedPipeline {
  path: string;
  text: string;
  sha256: string;
}

export async function loadPipelineFile(path: string): Promise<LoadedPipeline> {
  const abs = resolve(path);
  // A regular UTF-8 file only: never a FIFO, device or folder (see read-text.ts).
  const { text, bytes } = await readTextFile(abs, 'pipeline file', path);
  const parsed = parsePipeline(text, path);
  return { ...parsed, path: abs, text, sha256: createHash('sha256').update(bytes).digest('hex') };
}
