import { beforeEach, describe, expect, it, vi } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { addNode, connect, emptyPipeline, moveNodes, updateNode } from '../../../shared/pipeline/doc-edits';
import { useDoc } from '../../../src-renderer/document/doc-store';

// Counts how often a whole document (more than one node) is written, to show that edits do not.
const written = vi.hoisted(() => ({ whole: 0 }));
vi.mock('../../../shared/pipeline/canonical', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../shared/pipeline/canonical')>();
  return {
    ...actual,
    serializePipeline: (p: Pipeline) => {
      if (p.nodes.length > 1) written.whole++;
      return actual.serializePipeline(p);
    },
  };
});

function open() {
  const p = emptyPipeline('release');
  useDoc.getState().load({ root: '/w', path: 'pipelines/release.weir.json', pipeline: p, text: serializePipeline(p), sha256: 'x' });
}

const names = () => useDoc.getState().doc?.nodes.map((n) => n.name);

describe('the document store', () => {
  beforeEach(open);

  it('is clean after loading and dirty after an edit, and clean again when undone', () => {
    expect(useDoc.getState().dirty).toBe(false);
    useDoc.getState().apply((p) => addNode(p, 'seed', { x: 0, y: 0 }).pipeline);
    expect(useDoc.getState().dirty).toBe(true);
    useDoc.getState().undo();
    expect(useDoc.getState().dirty).toBe(false);
    useDoc.getState().redo();
    expect(names()).toEqual(['seed_1']);
  });

  it('undoes and redoes step by step; a new edit clears redo', () => {
    const s = useDoc.getState();
    s.apply((p) => addNode(p, 'seed', { x: 0, y: 0 }).pipeline);
    s.apply((p) => addNode(p, 'sql', { x: 300, y: 0 }).pipeline);
    expect(useDoc.getState().tryApply((p) => connect(p, { source: 'seed_1', target: 'sql_1' }))).toBeNull();
    useDoc.getState().undo();
    expect(useDoc.getState().doc?.nodes[1]?.inputs).toEqual([]);
    useDoc.getState().undo();
    expect(names()).toEqual(['seed_1']);
    useDoc.getState().redo();
    expect(names()).toEqual(['seed_1', 'sql_1']);
    useDoc.getState().apply((p) => addNode(p, 'sql', { x: 0, y: 200 }).pipeline);
    expect(useDoc.getState().redo()).toBe(false);
  });

  it('makes typing in one field one undo step, and a drag one step however many ticks it has', () => {
    const s = useDoc.getState();
    s.apply((p) => addNode(p, 'sql', { x: 0, y: 0 }).pipeline);
    for (const sql of ['s', 'se', 'sel', 'select 1']) useDoc.getState().apply((p) => updateNode(p, 'sql_1', { config: { sql: [sql] } }), { coalesce: 'config:sql_1' });
    useDoc.getState().beginGesture();
    for (let x = 1; x <= 20; x++) useDoc.getState().apply((p) => moveNodes(p, { sql_1: { x, y: 0 } }), { history: false });
    expect(useDoc.getState().doc?.layout.sql_1).toEqual({ x: 20, y: 0 });
    useDoc.getState().undo();
    expect(useDoc.getState().doc?.layout.sql_1).toEqual({ x: 0, y: 0 });
    expect(useDoc.getState().doc?.nodes[0]?.config.sql).toEqual(['select 1']);
    useDoc.getState().undo();
    expect(useDoc.getState().doc?.nodes[0]?.config.sql).toEqual(['select *', 'from input']);
  });

  it('keeps problems per node, and refuses a cycle without changing anything', () => {
    const s = useDoc.getState();
    s.apply((p) => addNode(p, 'file_sink', { x: 0, y: 0 }).pipeline);
    expect(useDoc.getState().nodeIssues.get('file_out_1')).toEqual([{ path: 'inputs', message: 'a file_sink node takes 1 input, got 0' }]);
    s.apply((p) => addNode(p, 'sql', { x: 0, y: 0 }).pipeline);
    s.apply((p) => addNode(p, 'sql', { x: 0, y: 0 }).pipeline);
    expect(useDoc.getState().tryApply((p) => connect(p, { source: 'sql_1', target: 'sql_2' }))).toBeNull();
    const before = useDoc.getState().doc;
    expect(useDoc.getState().tryApply((p) => connect(p, { source: 'sql_2', target: 'sql_1' }))).toMatch(/cycle/);
    expect(useDoc.getState().doc).toBe(before);
  });

  it('drops deleted nodes from the selection, and follows a save', () => {
    const s = useDoc.getState();
    s.apply((p) => addNode(p, 'seed', { x: 0, y: 0 }).pipeline, { select: ['seed_1'] });
    expect(useDoc.getState().selection).toEqual(['seed_1']);
    useDoc.getState().undo();
    expect(useDoc.getState().selection).toEqual([]);
    useDoc.getState().redo();
    const text = serializePipeline(useDoc.getState().doc!);
    useDoc.getState().markSaved(text, 'y', 'pipelines/other.weir.json');
    expect(useDoc.getState()).toMatchObject({ dirty: false, path: 'pipelines/other.weir.json', baseSha256: 'y' });
  });

  it('tells edits from the saved document without writing the whole of it, and undo back to it reads as saved', () => {
    let p = emptyPipeline('big');
    for (let i = 0; i < 50; i++) p = addNode(p, 'sql', { x: i * 10, y: 0 }).pipeline;
    useDoc.getState().load({ root: '/w', path: 'pipelines/big.weir.json', pipeline: p, text: serializePipeline(p), sha256: 'x' });
    written.whole = 0;
    useDoc.getState().setSelection(['sql_1', 'sql_2']);
    const selection = useDoc.getState().selection;
    useDoc.getState().beginGesture();
    for (let x = 1; x <= 20; x++) useDoc.getState().apply((q) => moveNodes(q, { sql_1: { x, y: 5 } }), { history: false });
    expect(useDoc.getState().dirty).toBe(true);
    // nothing selected was removed: the selection is the same array, so its readers do not re-render
    expect(useDoc.getState().selection).toBe(selection);
    useDoc.getState().undo();
    expect(useDoc.getState().dirty).toBe(false);
    for (const sql of ['s', 'se', 'select 2']) useDoc.getState().apply((q) => updateNode(q, 'sql_7', { config: { sql: [sql] } }), { coalesce: 'config:sql_7' });
    expect(useDoc.getState().dirty).toBe(true);
    useDoc.getState().undo();
    expect(useDoc.getState().dirty).toBe(false);
    useDoc.getState().redo();
    expect(useDoc.getState().dirty).toBe(true);
    expect(written.whole).toBe(0);
  });

  it('reads as saved when an edit is taken back by hand, as the file would be the same', () => {
    useDoc.getState().apply((p) => addNode(p, 'sql', { x: 10, y: 20 }).pipeline);
    useDoc.getState().apply((p) => addNode(p, 'sql', { x: 300, y: 20 }).pipeline);
    useDoc.getState().markSaved(serializePipeline(useDoc.getState().doc!), 'y');
    expect(useDoc.getState().dirty).toBe(false);
    const sql = useDoc.getState().doc!.nodes[0]!.config.sql;
    useDoc.getState().apply((p) => updateNode(p, 'sql_1', { config: { sql: ['select 1'] } }));
    expect(useDoc.getState().dirty).toBe(true);
    useDoc.getState().apply((p) => updateNode(p, 'sql_1', { config: { sql } }));
    expect(useDoc.getState().dirty).toBe(false);
    // positions are written rounded: a drag that ends where it began changes nothing
    useDoc.getState().apply((p) => moveNodes(p, { sql_2: { x: 340, y: 20 } }), { history: false });
    expect(useDoc.getState().dirty).toBe(true);
    useDoc.getState().apply((p) => moveNodes(p, { sql_2: { x: 300.3, y: 19.8 } }), { history: false });
    expect(useDoc.getState().dirty).toBe(false);
  });

  it('opens a file not in canonical form as unsaved, until it is saved', () => {
    const p = addNode(emptyPipeline('old'), 'sql', { x: 0, y: 0 }).pipeline;
    useDoc.getState().load({ root: '/w', path: 'pipelines/old.weir.json', pipeline: p, text: JSON.stringify(p), sha256: 'x' });
    expect(useDoc.getState().dirty).toBe(true);
    useDoc.getState().apply((q) => moveNodes(q, { sql_1: { x: 5, y: 0 } }));
    useDoc.getState().undo();
    expect(useDoc.getState().dirty).toBe(true);
    useDoc.getState().markSaved(serializePipeline(p), 'y');
    expect(useDoc.getState().dirty).toBe(false);
    useDoc.getState().redo();
    expect(useDoc.getState().dirty).toBe(true);
    useDoc.getState().undo();
    expect(useDoc.getState().dirty).toBe(false);
  });
});
