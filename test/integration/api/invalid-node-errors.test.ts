import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import type { Pipeline, PipelineNode } from '../../../shared/pipeline/schema';
import { postApi, signInWith, startServe, type Served } from '../../e2e/support/serve';

/**
 * Issue #15 item 4: a preview, profile, column lookup or run of a node whose settings its kind
 * refuses answers with the validation message (node name, field, words) as a 4xx the designer
 * shows as a problem, never `internal error: [` (zod's JSON) as a 500. Through `weir serve`,
 * as the browser shell calls it.
 */
const FILE = 'pipelines/p.weir.json';

const base = (): PipelineNode[] => [
  { id: 'b', name: 'batches', kind: 'seed', inputs: [], config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }, { name: 'viability', type: 'DOUBLE' }], rows: [['B1', 91.5]] } },
  { id: 'a', name: 'assays', kind: 'seed', inputs: [], config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }, { name: 'value', type: 'DOUBLE' }], rows: [['B1', 1]] } },
];

const pipeline = (nodes: PipelineNode[]): Pipeline => ({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes: [...base(), ...nodes], layout: {} });

/** Invalid configs of several kinds: the node previewed, and what the answer must say. */
const CASES: { what: string; nodes: PipelineNode[]; preview: string; says: string }[] = [
  {
    what: 'a file source reading ../../etc/passwd',
    nodes: [{ id: 'f', name: 'raw', kind: 'file_source', inputs: [], config: { path: '../../etc/passwd', format: 'csv' } }],
    preview: 'f',
    says: 'file_source "raw", Path: expected a path inside the workspace (no "..")',
  },
  {
    what: 'an avg aggregate with no column',
    nodes: [{ id: 'g', name: 'avg_viability', kind: 'aggregate', inputs: ['b'], config: { group_by: ['batch_id'], aggregates: [{ fn: 'avg' }] } }],
    preview: 'g',
    says: 'aggregate "avg_viability", Aggregates #1 › Column: expected the column avg reads',
  },
  {
    what: 'a join with nothing to match on',
    nodes: [{ id: 'j', name: 'joined', kind: 'join', inputs: ['b', 'a'], config: { on: [] } }],
    preview: 'j',
    says: 'join "joined", Match on: expected at least one pair of columns to match on, or a condition',
  },
  {
    what: 'an aggregate with no input',
    nodes: [{ id: 'g', name: 'orphan', kind: 'aggregate', inputs: [], config: { aggregates: [{ fn: 'count' }] } }],
    preview: 'g',
    says: 'aggregate "orphan", Inputs: an aggregate node takes 1 input, got 0',
  },
  {
    what: 'a SQL node downstream of an invalid aggregate (the answer names the aggregate)',
    nodes: [
      { id: 'g', name: 'avg_viability', kind: 'aggregate', inputs: ['b'], config: { aggregates: [{ fn: 'avg' }] } },
      { id: 's', name: 'summary', kind: 'sql', inputs: ['g'], config: { sql: ['select * from avg_viability'] } },
    ],
    preview: 's',
    says: 'aggregate "avg_viability", Aggregates #1 › Column: expected the column avg reads',
  },
];

let dir: string;
let ws: string;
let served: Served;
let cookie: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weir-api-invalid-'));
  ws = join(dir, 'ws');
  await mkdir(join(ws, 'pipelines'), { recursive: true });
  await writeFile(
    join(ws, 'weir.workspace.json'),
    JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }),
  );
  await writeFile(join(ws, FILE), serializePipeline(pipeline([])));
  served = await startServe({ workspace: ws, home: join(dir, 'home') });
  cookie = await signInWith(served.url);
}, 120_000);

afterAll(async () => {
  await served?.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: { ok: boolean; result?: unknown; error?: { kind: string; message: string; details?: { nodeId?: string; nodeName?: string }; issues?: { path: string; message: string }[] } };
}

async function call(method: string, input: unknown): Promise<Answer> {
  return postApi<Answer['body']>(served, cookie, method, input);
}

describe('an invalid node through the API', () => {
  for (const c of CASES) {
    it(`preview and profile of ${c.what}: a 400 with the validation message, naming the node and field`, async () => {
      const doc = pipeline(c.nodes);
      for (const method of ['pipeline.preview', 'pipeline.profile']) {
        const { status, body } = await call(method, { root: ws, path: FILE, pipeline: doc, nodeId: c.preview });
        expect(status, `${method}: ${JSON.stringify(body)}`).toBe(400);
        expect(body.error?.kind).toBe('invalid');
        expect(body.error?.message).toMatch(new RegExp(`^${c.says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        expect(body.error?.message).not.toMatch(/internal error|\[\s*\{|nodes\[\d+\]/);
        // The node it is about, and every issue by path, for the designer to link.
        const named = doc.nodes.find((n) => c.says.includes(`"${n.name}"`))!;
        expect(body.error?.details).toEqual({ nodeId: named.id, nodeName: named.name });
        expect(body.error?.issues?.length).toBeGreaterThan(0);
        expect(body.error?.issues?.[0]?.path).toMatch(new RegExp(`^nodes\\[${doc.nodes.indexOf(named)}\\]`));
      }
    });
  }

  it("the SQL editor's column lookup names the invalid input in its answer, and still answers for the valid one", async () => {
    const doc = pipeline([
      { id: 'g', name: 'avg_viability', kind: 'aggregate', inputs: ['b'], config: { aggregates: [{ fn: 'avg' }] } },
      { id: 's', name: 'summary', kind: 'sql', inputs: ['g', 'a'], config: { sql: ['select * from avg_viability, assays'] } },
    ]);
    const { status, body } = await call('pipeline.describeInputs', { root: ws, path: FILE, pipeline: doc, nodeId: 's' });
    expect(status).toBe(200);
    const inputs = (body.result as { inputs: { name: string; columns: { name: string }[]; error: string | null }[] }).inputs;
    expect(inputs.map((i) => [i.name, i.error])).toEqual([
      ['avg_viability', 'aggregate "avg_viability", Aggregates #1 › Column: expected the column avg reads'],
      ['assays', null],
    ]);
  });

  it('a preview of a valid node is not refused for an invalid node elsewhere in the pipeline', async () => {
    const doc = pipeline([{ id: 'f', name: 'raw', kind: 'file_source', inputs: [], config: { path: '../../etc/passwd', format: 'csv' } }]);
    const { status, body } = await call('pipeline.preview', { root: ws, path: FILE, pipeline: doc, nodeId: 'b' });
    expect(status, JSON.stringify(body)).toBe(200);
    expect((body.result as { rows: unknown[] }).rows).toEqual([['B1', 91.5]]);
  });

  it('a run of a saved file with an invalid node is refused as a 400 naming the file, the node, the field and the words, not an internal error', async () => {
    const bad = 'pipelines/bad.weir.json';
    await writeFile(join(ws, bad), serializePipeline(pipeline([{ id: 'g', name: 'avg_viability', kind: 'aggregate', inputs: ['b'], config: { aggregates: [{ fn: 'avg' }] } }])));
    const { status, body } = await call('pipeline.run', { root: ws, path: bad });
    expect(status, JSON.stringify(body)).toBe(400);
    expect(body.error?.kind).toBe('invalid');
    expect(body.error?.message).toBe(`${bad}: aggregate "avg_viability", Aggregates #1 › Column: expected the column avg reads`);
    expect(body.error?.details).toEqual({ nodeId: 'g', nodeName: 'avg_viability' });
    expect(body.error?.issues).toEqual([{ path: 'nodes[2].config.aggregates[0].column', message: 'expected the column avg reads' }]);
  });
});
