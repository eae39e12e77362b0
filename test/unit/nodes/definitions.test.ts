import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ConnectionKindName } from '../../../shared/nodes/define';
import { nodeKinds } from '../../../shared/nodes/kinds';
import { isLowCodeKind } from '../../../shared/nodes/lowcode';
import { nodeDetail, nodeKindNames, nodeKindSpec, nodeSql } from '../../../shared/nodes/registry';
import type { Pipeline, PipelineNode } from '../../../shared/pipeline/schema';
import { connectionSpec, type ConnectionSpec } from '../../../shared/workspace/schema';
import { nodeRuntime, runtimeKinds } from '../../../src-main/engine/nodes/registry';
import { planPipeline } from '../../../src-main/engine/run/plan';
import { findWorkspace } from '../../../src-main/engine/workspace/workspace';
import { tempDir } from '../../support/temp-dir';

const root = join(import.meta.dirname, '../../..');
const folders = (dir: string) =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
const asFolder = (kind: string) => kind.replace(/_/g, '-');

type Js = Record<string, unknown>;

/** The JSON Schema of every place a role path names (`rules[].where`), across union variants. */
function schemasAt(js: Js, path: readonly string[]): Js[] {
  const alts = (js.anyOf ?? js.oneOf) as Js[] | undefined;
  if (alts) return alts.flatMap((a) => schemasAt(a, path));
  const [head, ...rest] = path;
  if (head === undefined) return [js];
  const each = head.endsWith('[]');
  const prop = (js.properties as Record<string, Js> | undefined)?.[each ? head.slice(0, -2) : head];
  if (!prop) return [];
  if (!each) return schemasAt(prop, rest);
  const arrays = ((prop.anyOf ?? prop.oneOf) as Js[] | undefined) ?? [prop];
  return arrays.flatMap((a) => (a.items ? schemasAt(a.items as Js, rest) : []));
}

/** Whether a field's schema holds text, or a list of text (lines, column lists). */
function holdsText(js: Js): boolean {
  const alts = (js.anyOf ?? js.oneOf) as Js[] | undefined;
  if (alts) return alts.some(holdsText);
  return js.type === 'string' || (js.type === 'array' && !!js.items && holdsText(js.items as Js));
}

describe('one definition per kind', () => {
  it('has a folder in shared/nodes and one in src-main/engine/nodes for each kind, and nothing else', () => {
    const kinds = nodeKinds.map((k) => asFolder(k.kind)).sort();
    expect(folders('shared/nodes')).toEqual(kinds);
    expect(folders('src-main/engine/nodes')).toEqual(kinds);
    for (const k of kinds) expect(existsSync(join(root, 'shared/nodes', k, 'index.ts')), k).toBe(true);
  });

  it.each(nodeKinds.map((k) => k.kind))('%s: has exactly one runtime, made from its very definition', (kind) => {
    expect(runtimeKinds().filter((k) => k === kind)).toEqual([kind]);
    expect(nodeRuntime(kind).definition).toBe(nodeKindSpec(kind));
  });

  it('lists kinds by unique names, in palette order, all at version 1 (the file format implies it)', () => {
    expect(new Set(nodeKindNames()).size).toBe(nodeKinds.length);
    expect(runtimeKinds()).toHaveLength(nodeKinds.length);
    const order = ['source', 'transform', 'check', 'sink'];
    const categories = nodeKinds.map((k) => order.indexOf(k.category));
    expect(categories).toEqual([...categories].sort((a, b) => a - b));
    for (const k of nodeKinds) expect([k.kind, k.version]).toEqual([k.kind, 1]);
  });

  it.each(nodeKinds.map((k) => k.kind))('%s: every declared role names a field of its config, of a shape the role can hold', (kind) => {
    const def = nodeKindSpec(kind)!;
    const js = z.toJSONSchema(def.config, { io: 'input', unrepresentable: 'any' }) as Js;
    for (const [path, role] of Object.entries(def.fields)) {
      const at = schemasAt(js, path.split('.'));
      expect(at.length, `${kind}: ${path}`).toBeGreaterThan(0);
      if (role?.type !== 'duckdb_type') expect(at.some(holdsText), `${kind}: ${path} holds text`).toBe(true);
    }
  });

  it('names only connection kinds the workspace defines, on the kinds with a connection field', () => {
    // The two lists of connection kinds are one at compile time...
    type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
    const same: Same<ConnectionKindName, ConnectionSpec['kind']> = true;
    expect(same).toBe(true);
    // ...and at run time.
    const variants = (z.toJSONSchema(connectionSpec, { io: 'input', unrepresentable: 'any' }) as Js).oneOf ?? (z.toJSONSchema(connectionSpec) as Js).anyOf;
    const workspaceKinds = (variants as Js[]).map((v) => ((v.properties as Record<string, Js>).kind as Js).const);
    const byKind = Object.fromEntries(nodeKinds.filter((k) => k.connectionKinds.length).map((k) => [k.kind, k.connectionKinds]));
    expect(byKind).toEqual({
      lake_source: ['folder', 's3'],
      http_source: ['http'],
      postgres_source: ['postgres'],
      postgres_sink: ['postgres'],
      lake_sink: ['folder', 's3'],
    });
    for (const k of Object.values(byKind).flat()) expect(workspaceKinds).toContain(k);
  });
});

describe('every node\'s SQL, in the designer as in `weir plan`', () => {
  const nodes: PipelineNode[] = [
    { id: 'seed', name: 'lots', kind: 'seed', inputs: [], config: { columns: [{ name: 'lot', type: 'VARCHAR' }], rows: [['L1']] } },
    { id: 'files', name: 'raw', kind: 'file_source', inputs: [], config: { path: 'data/raw/*.csv', format: 'csv' } },
    { id: 'lake', name: 'lake_in', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'raw', glob: '*.csv', format: 'csv' } },
    { id: 'api', name: 'api_in', kind: 'http_source', inputs: [], config: { connection: 'api', url: 'entries' } },
    { id: 'pg', name: 'pg_in', kind: 'postgres_source', inputs: [], config: { connection: 'mart', table: 't' } },
    { id: 'q', name: 'q', kind: 'sql', inputs: ['seed'], config: { sql: ['select * from lots'] } },
    { id: 'f', name: 'f', kind: 'filter', inputs: ['q'], config: { condition: "lot <> 'x'" } },
    { id: 'chk', name: 'chk', kind: 'check', inputs: ['f', 'seed'], config: { rules: [{ type: 'relationship', column: 'lot', to: 'lots', field: 'lot' }, { type: 'row_count', min: 1 }] } },
    { id: 'out', name: 'out', kind: 'file_sink', inputs: ['chk'], config: { path: 'out/lots.parquet', format: 'parquet' } },
    { id: 'mart', name: 'mart', kind: 'postgres_sink', inputs: ['chk'], config: { connection: 'mart', table: 'lots' } },
    { id: 'lk', name: 'lk', kind: 'lake_sink', inputs: ['chk'], config: { connection: 'lake', path: 'curated/lots', format: 'parquet' } },
  ];
  const pipeline: Pipeline = { format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes, layout: {} };
  const plan = planPipeline(pipeline, findWorkspace(tempDir()), 'run-1');
  const names = new Map(nodes.map((n) => [n.id, n.name]));
  const designer = (n: PipelineNode) => {
    const fanOut = nodes.filter((m) => m.inputs.includes(n.id)).length * 1;
    const r = nodeSql(n.kind, n.config, { nodeName: n.name, inputNames: n.inputs.map((i) => names.get(i)!), fanOut: n.id === 'f' ? 2 : fanOut, runId: 'run-1' });
    if (!r.ok) throw new Error(r.message);
    return r.sql;
  };

  it('covers every kind', () => {
    expect(new Set(nodes.map((n) => n.kind))).toEqual(new Set(nodeKindNames().filter((k) => k === 'filter' || !isLowCodeKind(k))));
  });

  it('is the same SQL where only names matter: the designer shows what a run runs', () => {
    for (const p of plan.nodes) {
      if (p.node.kind === 'file_source' || p.node.kind === 'file_sink') continue;
      expect(designer(p.node), p.node.kind).toEqual(p.compiled);
    }
    const check = plan.nodes.find((p) => p.node.kind === 'check')!.compiled.statements;
    expect(check[1]).toMatch(/^-- rule relationship_lot_to_lots \(error\): every lot exists in lots\.lot; selects failing rows\nSELECT \* FROM "f" AS t WHERE/);
  });

  it('shows paths as the file writes them; the engine shows where it really reads and stages them', () => {
    const source = plan.nodes.find((p) => p.node.kind === 'file_source')!;
    expect(designer(source.node).statements[0]).toBe(`CREATE OR REPLACE TABLE "raw" AS SELECT * FROM read_csv('data/raw/*.csv', header = true, delim = ',')`);
    expect(source.compiled.statements[0]).toMatch(/read_csv\('\/.*\/data\/raw\/\*\.csv', header = true, delim = ','\)$/);
    const sink = plan.nodes.find((p) => p.node.kind === 'file_sink')!;
    expect(designer(sink.node).statements[0]).toBe(`COPY (SELECT * FROM "chk" ORDER BY ALL) TO 'out/lots.parquet' (FORMAT parquet, COMPRESSION 'zstd')`);
    expect(sink.compiled.statements[0]).toMatch(/^COPY \(SELECT \* FROM "chk" ORDER BY ALL\) TO '\/.*\/out\/\.lots\.parquet\.weir-run-1/);
  });

  it('says in one line why a node cannot be compiled yet, without throwing', () => {
    expect(nodeSql('check', { rules: [{ type: 'relationship', column: 'a', to: 'p', field: 'a' }] }, { nodeName: 'c', inputNames: ['x'], fanOut: 1 })).toEqual({
      ok: false,
      message: 'check node "c", rule "relationship_a_to_p": "p" must also be an input of the check node (add it to its inputs)',
    });
    expect(nodeSql('file_sink', { path: 'out.csv', format: 'csv' }, { nodeName: 's', inputNames: [], fanOut: 0 })).toEqual({ ok: false, message: 'node "s" needs an input' });
    expect(nodeSql('sql', { sql: [] }, { nodeName: 's', inputNames: [], fanOut: 0 })).toEqual({ ok: false, message: 'expected SQL' });
  });
});

describe('the line a card shows', () => {
  it('is what the kind declares, else its first path or SQL line', () => {
    expect(nodeDetail('file_source', { path: 'data/raw/*.csv', format: 'csv' })).toBe('data/raw/*.csv');
    expect(nodeDetail('lake_source', { connection: 'lake', prefix: 'raw/', glob: '*.csv', format: 'csv' })).toBe('lake: raw/*.csv');
    expect(nodeDetail('sql', { sql: ['-- lots', '', '  select lot', 'from lots'] })).toBe('select lot');
    expect(nodeDetail('check', { rules: [{ type: 'row_count', min: 1 }, { type: 'not_null', column: 'a' }] })).toBe('2 rules');
    expect(nodeDetail('seed', { columns: [{ name: 'a', type: 'VARCHAR' }], rows: [['x'], ['y']] })).toBe('2 rows');
    expect(nodeDetail('postgres_sink', { connection: 'mart', table: 'lots' })).toBe('lots');
    expect(nodeDetail('lake_sink', { connection: 'lake', path: 'curated/lots', format: 'parquet' })).toBe('curated/lots');
    // A config being edited (not valid yet) still shows its path; a low-code kind shows none.
    expect(nodeDetail('file_sink', { path: 'out.csv' })).toBe('out.csv');
    expect(nodeDetail('filter', { condition: 'a > 1' })).toBeNull();
  });
});
