import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { makeService, makeWorkspace, samplePipeline } from './fixture';

let ws: Awaited<ReturnType<typeof makeWorkspace>>;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

const path = 'pipelines/release.weir.json';

describe('pipeline.describeInputs', () => {
  it("gives the columns of each input of a node of the unsaved pipeline, in input order", async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const p: Pipeline = samplePipeline();
    // Unsaved: a second input, and a column the saved file does not have.
    p.nodes.push({ id: 'codes', name: 'codes', kind: 'sql', inputs: ['lots'], config: { sql: ['select lot as code, viability > 80 as "Good Lot"', 'from lots'] } });
    p.nodes.push({ id: 'joined', name: 'joined', kind: 'sql', inputs: ['passing', 'codes'], config: { sql: ['select * from passing'] } });
    const { inputs } = await call('pipeline.describeInputs', { root: ws.root, path, pipeline: p, nodeId: 'joined' });
    expect(inputs).toEqual([
      { nodeId: 'passing', name: 'passing', error: null, columns: [{ name: 'lot', type: 'VARCHAR' }, { name: 'viability', type: 'DOUBLE' }] },
      { nodeId: 'codes', name: 'codes', error: null, columns: [{ name: 'code', type: 'VARCHAR' }, { name: 'Good Lot', type: 'BOOLEAN' }] },
    ]);
  });

  it('says which input fails and still describes the others', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const p: Pipeline = samplePipeline();
    p.nodes.push({ id: 'bad', name: 'bad', kind: 'sql', inputs: ['lots'], config: { sql: ['select lot,', '  no_such_column', 'from lots'] } });
    p.nodes.push({ id: 'both', name: 'both', kind: 'sql', inputs: ['bad', 'lots'], config: { sql: ['select 1'] } });
    const { inputs } = await call('pipeline.describeInputs', { root: ws.root, path, pipeline: p, nodeId: 'both' });
    expect(inputs[0]).toMatchObject({ nodeId: 'bad', columns: [] });
    expect(inputs[0].error).toMatch(/node "bad", line 2: .*no_such_column/);
    expect(inputs[1]).toMatchObject({ nodeId: 'lots', error: null });
    expect(inputs[1].columns.map((c: { name: string }) => c.name)).toEqual(['lot', 'viability']);
  });

  it('refuses an unknown node in one line', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    await expect(call('pipeline.describeInputs', { root: ws.root, path, pipeline: samplePipeline(), nodeId: 'nope' })).rejects.toThrow('no node with id "nope"');
  });
});

describe('sql.functions', () => {
  it("lists DuckDB's functions once, with their type, without internals and pragmas", async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const { functions } = await call('sql.functions', {});
    const find = (name: string, type: string) => functions.find((f: { name: string; type: string }) => f.name === name && f.type === type);
    expect(find('round', 'scalar')).toMatchObject({ description: expect.stringContaining('Rounds') });
    expect(find('count', 'aggregate')).toBeTruthy();
    expect(find('read_csv', 'table')).toBeTruthy();
    expect(find('getvariable', 'scalar')).toBeTruthy();
    expect(functions.some((f: { name: string; type: string }) => f.name.startsWith('__') || f.type === 'pragma' || !/^[A-Za-z_]\w*$/.test(f.name))).toBe(false);
    const again = await call('sql.functions', {});
    expect(again.functions).toEqual(functions);
  });
});
