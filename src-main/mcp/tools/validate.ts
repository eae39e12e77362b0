import { ToolError } from '../door/door';
import { defineTool } from './define';
import { documentArg, environmentArg, paramsArg, pathArg } from './common';

export const validate = defineTool({
  name: 'validate',
  title: 'Validate a pipeline',
  description:
    'Every problem `weir run` would refuse a pipeline for before touching data (JSON, schema, node configs, graph, the SQL sandbox, paths, parameters, environment, connections), ' +
    'of a pipeline file (path) or of a document (pipeline; with path, checked as if it were that file).',
  input: { path: pathArg.optional(), pipeline: documentArg, environment: environmentArg, params: paramsArg },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async run({ path, pipeline, environment, params }, { door }) {
    if (path === undefined && pipeline === undefined) throw new ToolError('give a pipeline file (path) or a document (pipeline) to validate');
    let doc: unknown = pipeline;
    if (doc === undefined) {
      try {
        doc = (await door.call('pipeline.read', { root: door.root, path: path! })).pipeline;
      } catch (e) {
        // A file that does not even parse is an answer, not a failure of the tool.
        if (e instanceof ToolError && e.issues.length) return { valid: false, path, issues: e.issues };
        throw e;
      }
    }
    const { issues } = await door.call('pipeline.validate', { pipeline: doc, root: door.root, path, environment, params });
    return { valid: issues.length === 0, ...(path !== undefined ? { path } : {}), issues };
  },
});

