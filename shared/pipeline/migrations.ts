import { toSqlLines } from '../nodes/common';
import { PIPELINE_FORMAT, PIPELINE_SCHEMA_PATH } from './schema';

type Json = Record<string, unknown>;

export interface Migration {
  from: number;
  to: number;
  describe: string;
  migrate: (doc: Json) => Json;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function asObject(v: unknown): Json {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

/**
 * Version 0 is the draft shape of the early prototypes: nodes carried `type`, inline
 * `position` and their config at the top level, SQL was one string, and edges were a
 * separate `[{from, to}]` list.
 */
const v0ToV1: Migration = {
  from: 0,
  to: 1,
  describe: 'draft (v0): edges become node inputs, positions move to layout, SQL becomes lines',
  migrate(doc) {
    const edges = asArray(doc.edges).map(asObject);
    const layout: Json = {};
    const nodes = asArray(doc.nodes).map((raw) => {
      const n = asObject(raw);
      const { id, name, type, description, position, sql, ...config } = n;
      if (position !== undefined) layout[String(id)] = position;
      if (typeof sql === 'string') config.sql = toSqlLines(sql);
      const node: Json = { id, name, kind: type };
      if (description !== undefined) node.description = description;
      node.inputs = edges.filter((e) => e.to === id).map((e) => e.from);
      node.config = config;
      return node;
    });
    const out: Json = {
      $schema: `../${PIPELINE_SCHEMA_PATH}`,
      format: PIPELINE_FORMAT,
      version: 1,
      name: doc.name,
    };
    if (doc.description !== undefined) out.description = doc.description;
    out.params = doc.params ?? {};
    out.nodes = nodes;
    out.layout = layout;
    return out;
  },
};

export const migrations: readonly Migration[] = [v0ToV1];

/** Runs the chain from `version` up to `target`; returns the steps applied. */
export function migrate(doc: Json, version: number, target: number): { doc: Json; applied: Migration[] } {
  const applied: Migration[] = [];
  let current = doc;
  let v = version;
  while (v < target) {
    const step = migrations.find((m) => m.from === v);
    if (!step) throw new Error(`no migration from pipeline version ${v}`);
    current = step.migrate(current);
    applied.push(step);
    v = step.to;
  }
  return { doc: current, applied };
}
