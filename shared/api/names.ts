/**
 * The names of the API contract's methods and events, apart from their schemas so that the
 * desktop preload can bind one IPC channel per method without bundling zod. contract.ts
 * defines exactly these (the compiler checks both ways).
 */
export const METHOD_NAMES = [
  'app.start',
  'workspace.open',
  'workspace.openSample',
  'workspace.recent',
  'fs.listFolders',
  'pipeline.read',
  'pipeline.save',
  'pipeline.create',
  'pipeline.validate',
  'pipeline.describeInputs',
  'sql.functions',
  'pipeline.run',
  'pipeline.partitions',
  'pipeline.plan',
  'run.cancel',
  'pipeline.preview',
  'pipeline.profile',
  'pipeline.chart',
  'pipeline.lineage',
  'pipeline.explain',
  'pipeline.review',
  'review.cancel',
  'runs.list',
  'runs.get',
  'release.status',
  'sign.subject',
  'sign.run',
  'drafts.save',
  'drafts.get',
  'drafts.discard',
  'secrets.list',
  'secrets.set',
  'secrets.delete',
  'connections.list',
  'connections.save',
  'connections.delete',
  'connections.test',
  'git.status',
  'git.commit',
  'git.history',
  'git.diff',
  'git.restore',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

export const EVENT_NAMES = ['run.event', 'review.progress', 'workspace.changed', 'menu.command'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && (METHOD_NAMES as readonly string[]).includes(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}
