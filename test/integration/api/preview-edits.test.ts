import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type Transport } from '../../../shared/api/client';
import type { Envelope } from '../../../shared/api/envelope';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import type { Pipeline, PipelineNode } from '../../../shared/pipeline/schema';
import { createDocumentSync } from '../../../src-renderer/document/doc-sync';
import { signInWith, startServe, type Served } from '../../e2e/support/serve';

/**
 * Issue #14, "a preview sends the edit, not the document": through `weir serve` as the browser
 * shell calls it, with the renderer's own document sync (src-renderer/document/doc-sync.ts)
 * over a transport that keeps every request body it sends.
 */
const FILE = 'pipelines/p.weir.json';

/** A chain of 30 SQL nodes over a seed: a document of some size, whose last node reads every one. */
function pipeline(): Pipeline {
  const nodes: PipelineNode[] = [
    { id: 'lots', name: 'lots', kind: 'seed', inputs: [], config: { columns: [{ name: 'lot', type: 'VARCHAR' }, { name: 'v', type: 'DOUBLE' }], rows: [['B1', 91.5], ['B2', 64], ['B3', 88]] } },
  ];
  for (let i = 1; i <= 30; i++) {
    const from = nodes[nodes.length - 1]!;
    nodes.push({ id: `s${i}`, name: `step_${i}`, kind: 'sql', inputs: [from.id], description: `step ${i} of the chain, kept as it is`, config: { sql: ['select lot, v', `from ${from.name}`, `where v > ${i}`] } });
  }
  return { format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes, layout: Object.fromEntries(nodes.map((n, i) => [n.id, { x: i * 240, y: 0 }])) };
}

let dir: string;
let ws: string;
let served: Served;
let cookie: string;
/** Every body the document sync sent, with its method. */
const sent: { method: string; body: string }[] = [];

async function raw(method: string, input: unknown): Promise<{ status: number; body: Envelope<unknown> }> {
  const body = JSON.stringify(input);
  const res = await fetch(`${served.origin}/api/${method}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
  return { status: res.status, body: (await res.json()) as Envelope<unknown> };
}

const transport: Transport = {
  async call(method, input) {
    sent.push({ method, body: JSON.stringify(input) });
    return (await raw(method, input)).body;
  },
  subscribe: () => () => {},
};
const sync = createDocumentSync(createApiClient(transport));

async function serve(): Promise<void> {
  served = await startServe({ workspace: ws, home: join(dir, 'home') });
  cookie = await signInWith(served.url);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weir-api-edits-'));
  ws = join(dir, 'ws');
  await mkdir(join(ws, 'pipelines'), { recursive: true });
  await writeFile(
    join(ws, 'weir.workspace.json'),
    JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }),
  );
  await writeFile(join(ws, FILE), serializePipeline(pipeline()));
  await serve();
}, 120_000);

afterAll(async () => {
  await served?.stop();
  await rm(dir, { recursive: true, force: true });
});

const rest = (nodeId: string) => ({ root: ws, path: FILE, nodeId });

describe('a preview sends the edit, not the document', () => {
  const doc = pipeline();

  it('sends the whole document first, then only the node an edit changed, and gets the rows a whole document gets', async () => {
    sent.length = 0;
    const first = await sync.call('pipeline.preview', rest('s30'), doc);
    expect(first.rows).toEqual([['B1', 91.5], ['B2', 64], ['B3', 88]]);
    expect(sent).toHaveLength(1);
    const full = JSON.parse(sent[0]!.body) as Record<string, unknown>;
    expect(full.pipeline).toBeDefined();
    expect(full.base).toBeUndefined();

    // One node edited, far upstream: every node below it must be made again.
    const after = structuredClone(doc);
    after.nodes[5]!.config = { sql: ['select lot, v', 'from step_4', 'where v > 70'] };
    const edited = await sync.call('pipeline.preview', rest('s30'), after);
    expect(sent).toHaveLength(2);
    const body = JSON.parse(sent[1]!.body) as { pipeline?: unknown; base?: string; edits?: { put?: PipelineNode[] } };
    expect(body.pipeline).toBeUndefined();
    expect(body.base).toBe(first.revision);
    expect(body.edits).toEqual({ put: [after.nodes[5]] });
    // The request is the edited node and the request's own fields, a small part of the document's.
    expect(sent[1]!.body.length).toBeLessThan(sent[0]!.body.length / 10);

    const whole = await raw('pipeline.preview', { ...rest('s30'), pipeline: after });
    expect(whole.status).toBe(200);
    const expected = whole.body.ok ? (whole.body.result as { rows: unknown[] }).rows : null;
    expect(expected).toEqual([['B1', 91.5], ['B3', 88]]);
    expect(edited.rows).toEqual(expected);
    expect(edited.revision).not.toBe(first.revision);

    // A profile and a column lookup of the same document send no node at all.
    const profile = await sync.call('pipeline.profile', rest('s30'), after);
    expect(profile.rows).toBe(2);
    const inputs = await sync.call('pipeline.describeInputs', rest('s30'), after);
    expect(inputs.inputs.map((i) => [i.name, i.columns.map((c) => c.name)])).toEqual([['step_29', ['lot', 'v']]]);
    for (const s of sent.slice(-2)) expect(JSON.parse(s.body)).toMatchObject({ edits: {} });
  });

  it('a removed node, a rename and a parameter travel as edits too', async () => {
    const before = structuredClone(doc);
    await sync.call('pipeline.preview', rest('s3'), before);
    const after = structuredClone(before);
    after.nodes.splice(30, 1); // s30
    after.nodes[3]!.name = 'third';
    after.nodes[4]!.config = { sql: ['select lot, v', 'from third', 'where v > 4'] };
    after.params = { day: { type: 'date', default: '2026-12-06' } };
    sent.length = 0;
    const r = await sync.call('pipeline.preview', rest('s4'), after);
    expect(r.rows).toHaveLength(3);
    const body = JSON.parse(sent[0]!.body) as { edits: { put: PipelineNode[]; remove: string[]; set: unknown } };
    expect(body.edits.put.map((n) => n.id)).toEqual(['s3', 's4']);
    expect(body.edits.remove).toEqual(['s30']);
    expect(body.edits.set).toEqual({ params: after.params });
  });

  it('when the session no longer holds the base (the server restarted), the renderer sends the whole document once', async () => {
    const before = await sync.call('pipeline.preview', rest('s2'), doc);
    await served.stop();
    await serve();
    const after = structuredClone(doc);
    after.nodes[2]!.config = { sql: ['select lot, v', 'from step_1', 'where v < 70'] };
    sent.length = 0;
    const r = await sync.call('pipeline.preview', rest('s2'), after);
    expect(r.rows).toEqual([['B2', 64]]);
    expect(sent.map((s) => Object.keys(JSON.parse(s.body) as object).filter((k) => ['pipeline', 'base', 'edits'].includes(k)).sort())).toEqual([
      ['base', 'edits'],
      ['pipeline'],
    ]);
    expect(JSON.parse(sent[0]!.body)).toMatchObject({ base: before.revision });
    // And the next edit goes as an edit of the document resent.
    sent.length = 0;
    await sync.call('pipeline.preview', rest('s2'), doc);
    expect(JSON.parse(sent[0]!.body)).toMatchObject({ base: r.revision, edits: { put: [doc.nodes[2]] } });
  }, 120_000);

  it('a base the session never gave is answered as stale, in words', async () => {
    const { status, body } = await raw('pipeline.preview', { ...rest('s1'), base: 'abcdef123456-1', edits: {} });
    expect(status).toBe(400);
    expect(body.ok ? null : body.error).toMatchObject({ kind: 'stale', message: expect.stringContaining('does not hold revision "abcdef123456-1"') });
  });

  describe('a hostile edit is refused with a clear error, and the session keeps its documents', () => {
    let base: string;
    beforeAll(async () => {
      base = (await sync.call('pipeline.preview', rest('s1'), doc)).revision!;
    });
    const cases: [string, unknown, string, RegExp][] = [
      [
        'a file source reading out of the workspace',
        { put: [{ id: 'evil', name: 'evil', kind: 'file_source', inputs: [], config: { path: '../../../etc/passwd', format: 'csv' } }] },
        'evil',
        /^file_source "evil", Path: expected a path inside the workspace/,
      ],
      [
        'SQL reading a file the sandbox refuses',
        { put: [{ id: 's1', name: 'step_1', kind: 'sql', inputs: ['lots'], config: { sql: ["select * from read_csv('/etc/passwd')"] } }] },
        's1',
        /nodes\[1\]\.config\.sql: node "step_1": calls the table function read_csv\(\): node SQL reads only its inputs/,
      ],
      ['an order that drops nodes', { order: ['lots'] }, 's1', /^the edit was refused: the order does not name each of the 31 nodes once$/],
      ['removing a node that is not there', { remove: ['ghost'] }, 's1', /^the edit was refused: there is no node "ghost" to remove$/],
      ['a key that is no field of a document', JSON.parse('{"__proto__": {"nodes": []}, "set": {"format": "x"}}') as unknown, 's1', /^pipeline\.preview input: edits\.set: Unrecognized key: "format"/],
    ];
    for (const [what, edits, nodeId, says] of cases) {
      it(what, async () => {
        const { status, body } = await raw('pipeline.preview', { ...rest(nodeId), base, edits });
        expect(status, JSON.stringify(body)).toBe(400);
        expect(body.ok).toBe(false);
        if (!body.ok) {
          expect(['invalid', 'usage']).toContain(body.error.kind);
          expect(body.error.message).toMatch(says);
          expect(body.error.message).not.toMatch(/internal error/);
        }
        // The base is still good: a refused edit left nothing behind.
        const again = await raw('pipeline.preview', { ...rest('s1'), base, edits: {} });
        expect(again.status).toBe(200);
      });
    }
  });
});
