import { kindRegistry, type KindRegistry } from './registry';
import { nodeKinds } from './kinds';

type Json = Record<string, unknown>;

/**
 * Kind versions and the pipeline file. A node records no version of its own: the file's format
 * version implies the version of every kind (format 1: every kind at 1), so the file format does
 * not change when a kind is added. When a kind's config changes shape, its `version` goes up, its
 * `migrate` hook learns the step, and a new pipeline format step (shared/pipeline/migrations.ts)
 * calls `upgradeKindConfigs` for it, so older files are migrated on load like any format change.
 */
export interface KindUpgrade {
  kind: string;
  /** The kind's version in files of the format step's `from` version... */
  from: number;
  /** ...and in files of its `to` version. */
  to: number;
}

function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A pipeline document (raw JSON, as migrations see it) with the config of every node of the
 * upgraded kinds run through the kind's `migrate` hook, one version at a time. Throws a one-line
 * error for a kind this build does not define or an upgrade it cannot make.
 */
export function upgradeKindConfigs(doc: Json, upgrades: readonly KindUpgrade[], kinds: KindRegistry = kindRegistry(nodeKinds)): Json {
  if (!upgrades.length || !Array.isArray(doc.nodes)) return doc;
  for (const u of upgrades) {
    const def = kinds.get(u.kind);
    if (!def) throw new Error(`no node kind "${u.kind}" to upgrade`);
    if (u.to > def.version || u.from >= u.to) throw new Error(`node kind "${u.kind}" cannot go from version ${u.from} to ${u.to} (it is at ${def.version})`);
    if (!def.migrate) throw new Error(`node kind "${u.kind}" has no migrate hook`);
  }
  const nodes = doc.nodes.map((node) => {
    if (!isObject(node)) return node;
    const u = upgrades.find((x) => x.kind === node.kind);
    if (!u) return node;
    const migrate = kinds.get(u.kind)!.migrate!;
    let config = isObject(node.config) ? node.config : {};
    for (let v = u.from; v < u.to; v++) config = migrate(config, v);
    return { ...node, config };
  });
  return { ...doc, nodes };
}
