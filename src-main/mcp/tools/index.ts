import type { AnyTool } from './define';
import { lineage } from './lineage';
import { listPipelines } from './list-pipelines';
import { nodeKinds } from './node-kinds';
import { plan } from './plan';
import { previewNode } from './preview-node';
import { readPipeline } from './read-pipeline';
import { run } from './run';
import { validate } from './validate';
import { writePipeline } from './write-pipeline';

/** Every tool `weir mcp` serves, in the order a client lists them. */
export const TOOLS: readonly AnyTool[] = [listPipelines, readPipeline, validate, plan, previewNode, lineage, nodeKinds, run, writePipeline];
