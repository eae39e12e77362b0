import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { insideWorkspace } from '../../api/paths';
import { ToolError } from '../door/door';
import { defineTool } from './define';
import { pathArg } from './common';

export const WRITE_OFF = 'not written: weir mcp is read-only unless started with --allow-write. Ask the user to restart it with --allow-write if they want an assistant to write pipeline files.';

export const writePipeline = defineTool({
  name: 'write_pipeline',
  title: 'Write a pipeline',
  description:
    'Writes a pipeline document to a .weir.json file in the workspace, in canonical form, after validating it: a document with any problem is not written (the problems are the answer). ' +
    'Only when weir mcp was started with --allow-write. Replacing a file needs the sha256 read_pipeline gave (expectSha256), so a change made meanwhile is not overwritten; a new file needs none.',
  input: {
    path: pathArg,
    pipeline: z.record(z.string(), z.unknown()).describe('The whole pipeline document'),
    expectSha256: z.string().max(128).optional().describe("The file's sha256 as read_pipeline gave it: required to replace an existing file"),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run({ path, pipeline, expectSha256 }, { door, allowWrite }) {
    if (!allowWrite) throw new ToolError(WRITE_OFF);
    // The path and the document through the designer's checks first (the contract, the workspace's containment).
    const { issues } = await door.call('pipeline.validate', { root: door.root, path, pipeline });
    // The service's own state and git's: never a pipeline's place, whatever the name says.
    if (path.split('/').some((part) => part.startsWith('.'))) throw new ToolError(`not written: "${path}" is in a hidden folder (such as .weir or .git); pipelines go in visible folders, e.g. pipelines/`);
    if (issues.length) throw new ToolError(`not written: the pipeline has ${issues.length} problem${issues.length === 1 ? '' : 's'}; fix ${issues.length === 1 ? 'it' : 'them'} and write again`, issues);
    const exists = existsSync(insideWorkspace(door.root, path));
    if (exists && expectSha256 === undefined) throw new ToolError(`not written: ${path} exists; read it with read_pipeline and pass its sha256 as expectSha256 to replace it`);
    const saved = await door.call('pipeline.save', { root: door.root, path, pipeline: pipeline as unknown as Pipeline, expectSha256: exists ? expectSha256 : null });
    return { written: true, path: saved.path, sha256: saved.sha256, bytes: Buffer.byteLength(saved.text), issues: saved.issues };
  },
});
