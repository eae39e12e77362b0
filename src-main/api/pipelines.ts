import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { WeirError, PipelineInvalidError, type ValidationIssue } from '../../shared/errors';
import type { PipelineDoc, SavedPipeline } from '../../shared/api/schemas';
import { serializePipeline } from '../../shared/pipeline/canonical';
import { checkNodes, parsePipelineShape } from '../../shared/pipeline/parse';
import { PIPELINE_FORMAT, PIPELINE_SCHEMA_PATH, PIPELINE_VERSION, type Pipeline } from '../../shared/pipeline/schema';
import { findWorkspace, readTextFile, writeFileAtomic, type Engine } from '../engine';
import { insideWorkspace, workspaceRoot } from './paths';
import { parseForDesigner, sha256 } from './pipeline-text';

export async function readPipeline(rootIn: string, path: string): Promise<PipelineDoc> {
  const abs = insideWorkspace(workspaceRoot(rootIn), path);
  // The same reader as the CLI: a FIFO, a device or a huge file is refused, never waited on.
  const { text } = await readTextFile(abs, 'pipeline file', path);
  const textSha256 = sha256(text);
  return { path, text, sha256: textSha256, ...parseForDesigner(text, path, textSha256) };
}

/**
 * Writes the canonical form. `expectSha256` guards against overwriting a change made on
 * disk since the designer read the file (git pull, another editor): null means the file
 * must not exist yet (Save As, New).
 */
export async function savePipeline(rootIn: string, path: string, pipeline: Pipeline, expectSha256?: string | null, beforeWrite?: (sha256: string) => void): Promise<SavedPipeline> {
  const abs = insideWorkspace(workspaceRoot(rootIn), path);
  if (expectSha256 !== undefined) {
    const exists = existsSync(abs);
    if (expectSha256 === null && exists) throw new WeirError('invalid', `${path} already exists; choose another name`);
    if (expectSha256 !== null) {
      const current = exists ? sha256((await readTextFile(abs, 'pipeline file', path)).text) : null;
      if (current !== expectSha256) {
        throw new WeirError('invalid', `${path} was ${current === null ? 'deleted' : 'changed'} on disk since it was opened; reload it or save under another name`);
      }
    }
  }
  const text = serializePipeline(pipeline);
  const hash = sha256(text);
  // The file watcher is told first, so that this write is never reported as a change from outside.
  beforeWrite?.(hash);
  await writeFileAtomic(abs, text);
  return { path, text, sha256: hash, issues: checkNodes(pipeline) };
}

export async function createPipeline(rootIn: string, name: string): Promise<PipelineDoc> {
  const path = `pipelines/${name}.weir.json`;
  const pipeline: Pipeline = {
    $schema: `../${PIPELINE_SCHEMA_PATH}`,
    format: PIPELINE_FORMAT,
    version: PIPELINE_VERSION,
    name,
    params: {},
    nodes: [],
    layout: {},
  };
  const saved = await savePipeline(rootIn, path, pipeline, null);
  return { path, text: saved.text, sha256: saved.sha256, pipeline, migratedFrom: null, issues: [] };
}

export interface ValidateRequest {
  pipeline: unknown;
  root?: string;
  path?: string;
  environment?: string;
  params?: Record<string, string | number | boolean>;
}

/**
 * Every problem with a pipeline document, as `weir validate` would list them. Given the
 * workspace (and the file's path in it), the document as it is in the editor also goes
 * through the engine's preflight, the very checks `weir run` and `weir validate` make before
 * touching data: SQL that is not one query reading only the node's inputs, paths out of the
 * workspace, parameters, the environment, connections. Schema problems come first; a
 * document whose shape is wrong is not checked further (nothing could run it).
 */
export async function validatePipeline(engine: Engine, req: ValidateRequest): Promise<{ issues: ValidationIssue[] }> {
  let pipeline: Pipeline;
  try {
    pipeline = parsePipelineShape(JSON.stringify(req.pipeline ?? null), 'pipeline').pipeline;
  } catch (e) {
    if (e instanceof PipelineInvalidError) return { issues: e.issues };
    throw e;
  }
  const issues = checkNodes(pipeline);
  if (req.root === undefined) return { issues };
  const root = workspaceRoot(req.root);
  const file = req.path === undefined ? null : insideWorkspace(root, req.path);
  const problems = await engine.validate({ pipeline, path: file ?? undefined }, findWorkspace(file ? dirname(file) : root), {
    environment: req.environment,
    params: req.params,
  });
  const seen = new Set(issues.map((i) => `${i.path}\u0000${i.message}`));
  for (const p of problems) {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path: p.path, message: p.message });
  }
  return { issues };
}
