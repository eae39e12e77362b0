import { defineTool } from './define';
import { pathArg } from './common';

export const readPipeline = defineTool({
  name: 'read_pipeline',
  title: 'Read a pipeline',
  description:
    'A pipeline file as the designer opens it (older format versions migrated), with its sha256 (give it to write_pipeline as expectSha256 to replace the file) and the problems that do not stop it opening.',
  input: { path: pathArg },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async run({ path }, { door }) {
    const doc = await door.call('pipeline.read', { root: door.root, path });
    return { path: doc.path, sha256: doc.sha256, migratedFrom: doc.migratedFrom, issues: doc.issues, pipeline: doc.pipeline };
  },
});
