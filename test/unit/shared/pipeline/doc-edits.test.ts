import { describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../../shared/pipeline/canonical';
import { parsePipeline } from '../../../../shared/pipeline/parse';
import type { Pipeline } from '../../../../shared/pipeline/schema';
import {
  addNode,
  connect,
  copyNodes,
  deleteNodes,
  disconnect,
  emptyPipeline,
  moveNodes,
  parseClipboard,
  pasteNodes,
  uniqueName,
} from '../../../../shared/pipeline/doc-edits';
import { autoLayout } from '../../../../src-renderer/canvas/auto-layout';

/** seed → sql → sql → file_sink, built the way the canvas builds it. */
function chain(): { p: Pipeline; ids: string[] } {
  let p = emptyPipeline('release');
  const ids: string[] = [];
  for (const [i, kind] of ['seed', 'sql', 'sql', 'file_sink'].entries()) {
    const r = addNode(p, kind, { x: i * 260.4, y: 0 });
    p = r.pipeline;
    ids.push(r.id);
  }
  for (let i = 0; i < 3; i++) {
    const r = connect(p, { source: ids[i]!, target: ids[i + 1]! });
    if (!r.ok) throw new Error(r.message);
    p = r.pipeline;
  }
  return { p, ids };
}

describe('building a pipeline', () => {
  it('adds nodes with readable unique names and ids, valid configs and whole-pixel positions', () => {
    const { p, ids } = chain();
    expect(p.nodes.map((n) => n.name)).toEqual(['seed_1', 'sql_1', 'sql_2', 'file_out_1']);
    expect(ids).toEqual(['seed_1', 'sql_1', 'sql_2', 'file_out_1']);
    expect(p.layout.sql_1).toEqual({ x: 260, y: 0 });
    // The result is a valid pipeline file, written canonically.
    const text = serializePipeline(p);
    expect(parsePipeline(text).pipeline).toEqual(p);
  });

  it('names the first input in a new SQL node\'s default SQL', () => {
    const { p } = chain();
    expect(p.nodes[1]?.config.sql).toEqual(['select *', 'from seed_1']);
    expect(p.nodes[2]?.config.sql).toEqual(['select *', 'from sql_1']);
  });

  it('finds the next free name case-insensitively', () => {
    const p = emptyPipeline('x');
    p.nodes.push({ id: 'a', name: 'SQL_1', kind: 'sql', inputs: [], config: { sql: ['select 1'] } });
    expect(uniqueName(p, 'sql')).toBe('sql_2');
  });
});

describe('connecting', () => {
  it('refuses a cycle, naming it', () => {
    const { p } = chain();
    const r = connect(p, { source: 'sql_2', target: 'sql_1' });
    expect(r).toEqual({ ok: false, message: 'Not connected: that edge would make a cycle (sql_1 → sql_2 → sql_1).' });
  });

  it('refuses edges into sources, out of outputs, onto itself, twice, or past a kind\'s input limit', () => {
    const { p } = chain();
    expect(connect(p, { source: 'sql_1', target: 'seed_1' })).toMatchObject({ ok: false, message: expect.stringMatching(/source: it takes no inputs/) });
    expect(connect(p, { source: 'file_out_1', target: 'sql_1' })).toMatchObject({ ok: false, message: expect.stringMatching(/is an output/) });
    expect(connect(p, { source: 'sql_1', target: 'sql_1' })).toMatchObject({ ok: false });
    expect(connect(p, { source: 'seed_1', target: 'sql_1' })).toMatchObject({ ok: false, message: expect.stringMatching(/already reads/) });
    expect(connect(p, { source: 'sql_1', target: 'file_out_1' })).toMatchObject({ ok: false, message: expect.stringMatching(/takes one input/) });
  });

  it('disconnects an edge, and deleting a node removes its edges and layout', () => {
    const { p } = chain();
    const d = disconnect(p, [{ source: 'sql_1', target: 'sql_2' }]);
    expect(d.nodes[2]?.inputs).toEqual([]);
    expect(d.nodes[0]).toBe(p.nodes[0]); // untouched nodes keep their objects
    const del = deleteNodes(p, ['sql_1']);
    expect(del.nodes.map((n) => n.id)).toEqual(['seed_1', 'sql_2', 'file_out_1']);
    expect(del.nodes[1]?.inputs).toEqual([]);
    expect(del.layout.sql_1).toBeUndefined();
  });
});

describe('copy and paste', () => {
  it('pastes copies with new ids and names, keeping edges among them and renaming their SQL', () => {
    const { p } = chain();
    const clip = parseClipboard(JSON.stringify(copyNodes(p, ['seed_1', 'sql_1'])));
    expect(clip?.nodes).toHaveLength(2);
    const { pipeline, ids } = pasteNodes(p, clip!, { x: 40, y: 40 });
    const pasted = pipeline.nodes.filter((n) => ids.includes(n.id));
    expect(pasted.map((n) => n.name)).toEqual(['seed_2', 'sql_3']);
    expect(pasted[1]?.inputs).toEqual([pasted[0]?.id]);
    expect(pasted[1]?.config.sql).toEqual(['select *', 'from seed_2']);
    expect(pipeline.layout[ids[0]!]).toEqual({ x: 40, y: 40 });
    expect(parsePipeline(serializePipeline(pipeline)).pipeline.nodes).toHaveLength(6);
  });

  it('drops edges to nodes that were not copied, and ignores text that is not a clipboard', () => {
    const { p } = chain();
    const { pipeline, ids } = pasteNodes(p, copyNodes(p, ['sql_2'])!, { x: 0, y: 0 });
    expect(pipeline.nodes.find((n) => n.id === ids[0])?.inputs).toEqual([]);
    expect(parseClipboard('select 1')).toBeNull();
    expect(copyNodes(p, [])).toBeNull();
  });
});

describe('moving and auto-layout', () => {
  it('moves nodes, and lays the graph out left to right by depth', () => {
    const { p } = chain();
    const moved = moveNodes(p, { sql_1: { x: 5, y: 7 }, nope: { x: 1, y: 1 } });
    expect(moved.layout.sql_1).toEqual({ x: 5, y: 7 });
    expect(moved.layout.nope).toBeUndefined();
    const laid = autoLayout(moved);
    const xs = ['seed_1', 'sql_1', 'sql_2', 'file_out_1'].map((id) => laid.layout[id]!.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(4);
  });
});
