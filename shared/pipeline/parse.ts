import type { z } from 'zod';
import { PipelineInvalidError, jsonPath, type ValidationIssue } from '../errors';
import { nodeKindNames, nodeKindSpec } from '../nodes/registry';
import { describeCycle, findCycle } from './graph';
import { invalidNodesError } from './issue-place';
import { article } from '../format';
import { findJsonSyntaxError, findJsonTooDeep, lineAndColumn } from './json-text';
import { migrate } from './migrations';
import { partitionIssues } from './partition-issues';
import { annotationsPathInFile, isAnnotationKey, liftAnnotations } from './annotations';
import { PIPELINE_FORMAT, PIPELINE_VERSION, pipelineV1, type Pipeline } from './schema';

export interface ParsedPipeline {
  pipeline: Pipeline;
  /** The version the file was written in, when it was older than this build and was migrated. */
  migratedFrom: number | null;
}

function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): ValidationIssue[] {
  return error.issues.map((i) => ({ path: jsonPath([...prefix, ...i.path]), message: i.message }));
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

function jsonSyntaxIssue(text: string, err: Error): ValidationIssue {
  // Our own scan gives the position and says what is wrong without quoting the file (V8's
  // message may quote a slice of it, and the slice may be anything).
  const found = findJsonSyntaxError(text);
  if (!found) return { path: '', message: `malformed JSON: ${err.message.replace(/, ".*" is not valid JSON$/s, '')}` };
  const { line, column } = lineAndColumn(text, found.offset);
  return { path: '', message: `malformed JSON at line ${line}, column ${column}: ${found.message}` };
}

/**
 * How deeply a pipeline file may nest arrays and objects. Real files need a handful of levels;
 * the limit keeps every recursive consumer (schema checks, serializers, diffs) far from the
 * stack's end.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Reads pipeline file text: JSON syntax, format and version (migrating older files,
 * refusing newer ones), the schema, each node's config against its kind, and the graph.
 * Pure: no file system, so the renderer validates with the very same code.
 */
export function parsePipeline(text: string, source = 'pipeline'): ParsedPipeline {
  const parsed = parsePipelineShape(text, source);
  const issues = checkNodes(parsed.pipeline);
  if (issues.length) {
    // Said as the designer says it (the node's kind and name, the field's label), every issue kept by JSON path.
    const worded = invalidNodesError(parsed.pipeline, issues, source);
    throw new PipelineInvalidError(source, issues, `${source}: ${worded.message}`, worded.details);
  }
  return parsed;
}

/**
 * The shape-level half of `parsePipeline`: JSON syntax, format and version (migrating older
 * files, refusing newer ones) and the schema, throwing PipelineInvalidError for any of them.
 * Node problems (configs, inputs, duplicates, cycles) are left to `checkNodes`: the designer
 * opens a file that has them, since it is where they get fixed.
 */
export function parsePipelineShape(text: string, source = 'pipeline'): ParsedPipeline {
  const fail = (issues: ValidationIssue[]): never => {
    throw new PipelineInvalidError(source, issues);
  };
  // Editors on Windows may start UTF-8 files with a byte order mark; JSON.parse refuses it.
  // It is dropped here (and canonical save writes none).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') fail([{ path: '', message: 'the file is empty (expected a Weir pipeline JSON object)' }]);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail([jsonSyntaxIssue(text, e as Error)]);
  }
  const tooDeep = findJsonTooDeep(text, MAX_JSON_DEPTH);
  if (tooDeep !== null) {
    const { line, column } = lineAndColumn(text, tooDeep);
    fail([{ path: '', message: `nested more than ${MAX_JSON_DEPTH} levels deep at line ${line}, column ${column}` }]);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    fail([{ path: '', message: `expected a JSON object with "format": "${PIPELINE_FORMAT}", got ${describeJson(raw)}` }]);
  }
  const doc = raw as Record<string, unknown>;
  if (doc.format !== PIPELINE_FORMAT) {
    const got = doc.format === undefined ? 'no "format" field' : `"format": ${JSON.stringify(doc.format)}`;
    fail([{ path: 'format', message: `not a Weir pipeline: ${got} (expected "${PIPELINE_FORMAT}")` }]);
  }
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    fail([{ path: 'version', message: `expected an integer format version, got ${JSON.stringify(version)}` }]);
  }
  const v = version as number;
  if (v > PIPELINE_VERSION) {
    fail([
      {
        path: 'version',
        message: `written by a newer Weir (pipeline format version ${v}); this Weir reads versions up to ${PIPELINE_VERSION}. Upgrade Weir to open it.`,
      },
    ]);
  }
  let current = doc;
  let migratedFrom: number | null = null;
  if (v < PIPELINE_VERSION) {
    try {
      current = migrate(doc, v, PIPELINE_VERSION).doc;
    } catch (e) {
      fail([{ path: 'version', message: (e as Error).message }]);
    }
    migratedFrom = v;
  }

  if (Object.hasOwn(current, 'annotations')) {
    fail([{ path: 'annotations', message: 'unknown top-level field "annotations" (sticky notes and frames belong in layout.notes and layout.frames)' }]);
  }
  const parsed = pipelineV1.safeParse(liftAnnotations(current));
  // an issue in the annotations is named where the file holds them: layout.notes[2].text
  if (!parsed.success) fail(parsed.error.issues.map((i) => ({ path: jsonPath(annotationsPathInFile(i.path)), message: i.message })));
  return { pipeline: (parsed as { data: Pipeline }).data, migratedFrom };
}

/** Kind configs, unique ids and names, inputs that exist, input counts, layout keys, cycles. */
export function checkNodes(p: Pipeline): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const ids = new Map<string, number>();
  const names = new Map<string, number>();
  p.nodes.forEach((n, i) => {
    const at = (...rest: PropertyKey[]) => jsonPath(['nodes', i, ...rest]);
    const sameId = ids.get(n.id);
    if (sameId !== undefined) issues.push({ path: at('id'), message: `duplicate node id "${n.id}" (also the id of node "${p.nodes[sameId]!.name}")` });
    ids.set(n.id, i);
    if (isAnnotationKey(n.id)) issues.push({ path: at('id'), message: `node id "${n.id}" is reserved (layout.${n.id} holds the canvas's ${n.id === 'notes' ? 'sticky notes' : 'frames'}); give the node another id` });
    // DuckDB resolves identifiers case-insensitively, so `Batches` and `batches` would collide.
    const key = n.name.toLowerCase();
    const sameName = names.get(key);
    if (sameName !== undefined) {
      const other = p.nodes[sameName]!;
      const also = other.name === n.name ? 'another node has this name' : `node "${other.name}" differs only in case`;
      issues.push({ path: at('name'), message: `duplicate node name "${n.name}" (${also}); names must be unique` });
    }
    names.set(key, i);
    const spec = nodeKindSpec(n.kind);
    if (!spec) {
      issues.push({ path: at('kind'), message: `unknown node kind "${n.kind}" (expected one of: ${nodeKindNames().join(', ')})` });
      return;
    }
    const cfg = spec.config.safeParse(n.config);
    if (!cfg.success) issues.push(...zodIssues(cfg.error, ['nodes', i, 'config']));
    const { min, max } = spec.inputs;
    if (n.inputs.length < min || n.inputs.length > max) {
      const want = min === max ? `${min}` : `${min} to ${max}`;
      issues.push({ path: at('inputs'), message: `${article(n.kind)} ${n.kind} node takes ${want} input${max === 1 ? '' : 's'}, got ${n.inputs.length}` });
    }
  });
  p.nodes.forEach((n, i) => {
    n.inputs.forEach((input, j) => {
      if (input === n.id) issues.push({ path: jsonPath(['nodes', i, 'inputs', j]), message: `node "${n.name}" lists itself as an input` });
      else if (!ids.has(input)) issues.push({ path: jsonPath(['nodes', i, 'inputs', j]), message: `input "${input}" of node "${n.name}" is not a node in this pipeline` });
    });
    if (new Set(n.inputs).size !== n.inputs.length) issues.push({ path: jsonPath(['nodes', i, 'inputs']), message: `node "${n.name}" lists the same input twice` });
  });
  for (const key of Object.keys(p.layout)) {
    if (!ids.has(key)) issues.push({ path: jsonPath(['layout', key]), message: `layout names node id "${key}", which is not in nodes` });
  }
  for (const issue of partitionIssues(p)) issues.push(issue);
  if (!issues.length) {
    const cycle = findCycle(p.nodes);
    if (cycle) issues.push({ path: 'nodes', message: `the graph has a cycle: ${describeCycle(cycle)}` });
  }
  return issues;
}
