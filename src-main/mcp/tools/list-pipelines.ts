import { defineTool } from './define';

export const listPipelines = defineTool({
  name: 'list_pipelines',
  title: 'List pipelines',
  description: "The workspace's pipeline files (path, name, node count, or why one cannot be read) and its environments.",
  input: {},
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async run(_args, { door }) {
    const info = await door.call('workspace.open', { root: door.root });
    return {
      workspace: info.root,
      environments: info.environments,
      defaultEnvironment: info.defaultEnvironment,
      protectedEnvironments: info.protectedEnvironments,
      pipelines: info.pipelines.map((p) => ({ path: p.path, name: p.name, nodes: p.nodes, error: p.error })),
    };
  },
});
