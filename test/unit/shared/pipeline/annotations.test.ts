import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { PipelineInvalidError } from '../../../../shared/errors';
import { addFrame, addNote, boxAround, frameContents, moveAnnotations, removeAnnotations, updateAnnotation } from '../../../../shared/pipeline/annotation-edits';
import { MAX_NOTES, MAX_NOTE_TEXT } from '../../../../shared/pipeline/annotations';
import { serializePipeline } from '../../../../shared/pipeline/canonical';
import { applyDelta, diffDocs } from '../../../../shared/pipeline/doc-delta';
import { deleteNodes, moveNodes, uniqueId } from '../../../../shared/pipeline/doc-edits';
import { parsePipeline } from '../../../../shared/pipeline/parse';
import { PIPELINE_SCHEMA_PATH, type Pipeline } from '../../../../shared/pipeline/schema';
import { diffPipelines } from '../../../../shared/pipeline/semantic-diff';
import { diffSummaryLine } from '../../../../shared/pipeline/semantic-diff-text';
import { mergePipelines } from '../../../../src-main/engine/git/merge-pipelines';

/** Sticky notes and frames (issue #20 item 6): the file's layout.notes / layout.frames, their limits, diff, edits. */

const base: Pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'annotated',
  params: {},
  nodes: [
    { id: 'lots', name: 'lots', kind: 'seed', inputs: [], config: { columns: [{ name: 'lot', type: 'VARCHAR' }], rows: [['L1']] } },
    { id: 'counts', name: 'counts', kind: 'sql', inputs: ['lots'], config: { sql: ['select count(*) as n from lots'] } },
    { id: 'other', name: 'other', kind: 'sql', inputs: ['lots'], config: { sql: ['select 1 as x'] } },
  ],
  layout: { lots: { x: 0, y: 0 }, counts: { x: 300, y: 0 }, other: { x: 300, y: 600 } },
};

function annotated(): Pipeline {
  let p = base;
  const note = addNote(p, { x: 10.4, y: -20 }, 'Ask QA before changing "counts".\nSecond line.');
  if (!note.ok) throw new Error(note.message);
  const frame = addFrame(note.pipeline, { x: -40, y: -60, width: 620, height: 200 }, 'Lot intake', 'green');
  if (!frame.ok) throw new Error(frame.message);
  p = frame.pipeline;
  return p;
}

const fileWith = (layout: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ ...JSON.parse(serializePipeline(base)), layout, ...extra });
const issuesOf = (text: string) => {
  try {
    parsePipeline(text);
  } catch (e) {
    if (e instanceof PipelineInvalidError) return e.issues;
    throw e;
  }
  return [];
};

describe('notes and frames in the pipeline file', () => {
  it('are written inside layout after the positions, one line each, and read back to the same document and bytes', () => {
    const p = annotated();
    const text = serializePipeline(p);
    expect(text).toContain(
      [
        '  "layout": {',
        '    "lots": { "x": 0, "y": 0 },',
        '    "counts": { "x": 300, "y": 0 },',
        '    "other": { "x": 300, "y": 600 },',
        '    "notes": [',
        '      { "id": "note-1", "x": 10, "y": -20, "width": 220, "height": 140, "color": "yellow", "text": "Ask QA before changing \\"counts\\".\\nSecond line." }',
        '    ],',
        '    "frames": [',
        '      { "id": "frame-1", "x": -40, "y": -60, "width": 620, "height": 200, "color": "green", "title": "Lot intake" }',
        '    ]',
        '  }',
      ].join('\n'),
    );
    expect(text).not.toMatch(/^ {2}"annotations"/m);
    const back = parsePipeline(text).pipeline;
    expect(back.layout).toEqual(base.layout);
    expect(back.annotations?.notes?.[0]?.text).toBe('Ask QA before changing "counts".\nSecond line.');
    expect(back.annotations?.frames?.[0]?.title).toBe('Lot intake');
    expect(serializePipeline(back)).toBe(text);
  });

  it('are written in a canonical order (by id), so the order they were made in does not show in the file', () => {
    const p = annotated();
    const notes = [...p.annotations!.notes!, { id: 'a-note', x: 0, y: 0, width: 100, height: 100, color: 'pink' as const, text: 'first by id' }];
    const shuffled = { ...p, annotations: { ...p.annotations, notes: [...notes].reverse() } };
    const ordered = { ...p, annotations: { ...p.annotations, notes } };
    expect(serializePipeline(shuffled)).toBe(serializePipeline(ordered));
    expect(serializePipeline(ordered).indexOf('"a-note"')).toBeLessThan(serializePipeline(ordered).indexOf('"note-1"'));
  });

  it('a file without them is written as before (no empty lists)', () => {
    const text = serializePipeline(base);
    expect(text).not.toContain('"notes"');
    expect(serializePipeline(removeAnnotations(annotated(), ['note-1', 'frame-1']))).toBe(text);
  });

  it('the committed JSON Schema describes them in layout, and accepts the file while refusing a bad note', () => {
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const schema = JSON.parse(readFileSync(`${root}/${PIPELINE_SCHEMA_PATH}`, 'utf8')) as Record<string, unknown>;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const file = JSON.parse(serializePipeline(annotated())) as { layout: { notes: { width: number }[] } };
    expect(validate(file)).toBe(true);
    file.layout.notes[0]!.width = 1e9;
    expect(validate(file)).toBe(false);
    expect(JSON.stringify(schema)).not.toContain('"annotations"');
  });
});

describe('hostile or broken annotations are refused, naming the field', () => {
  const note = (over: Record<string, unknown> = {}) => ({ id: 'n1', x: 0, y: 0, width: 200, height: 100, color: 'yellow', text: 'hi', ...over });
  it('too many notes', () => {
    const notes = Array.from({ length: MAX_NOTES + 1 }, (_, i) => note({ id: `n${i}` }));
    const issues = issuesOf(fileWith({ ...base.layout, notes }));
    expect(issues).toEqual([{ path: 'layout.notes', message: `at most ${MAX_NOTES} notes` }]);
  });
  it('huge sizes, far-away places, long text', () => {
    expect(issuesOf(fileWith({ notes: [note({ width: 1e12 })] }))[0]).toEqual({ path: 'layout.notes[0].width', message: 'expected at most 2000' });
    expect(issuesOf(fileWith({ notes: [note({ x: -1e300 })] }))[0]?.path).toBe('layout.notes[0].x');
    expect(issuesOf(fileWith({ notes: [note({ text: 'x'.repeat(MAX_NOTE_TEXT + 1) })] }))[0]).toEqual({ path: 'layout.notes[0].text', message: `a note holds at most ${MAX_NOTE_TEXT} characters` });
    expect(issuesOf(fileWith({ frames: [{ id: 'f', x: 0, y: 0, width: 100, height: 5e7, color: 'blue', title: 't' }] }))[0]?.path).toBe('layout.frames[0].height');
  });
  it('wrong shapes, unknown keys and colours, shared ids', () => {
    expect(issuesOf(fileWith({ notes: { x: 1, y: 2 } }))[0]).toEqual({ path: 'layout.notes', message: 'expected a list of sticky notes' });
    expect(issuesOf(fileWith({ notes: [note({ onclick: 'x' })] }))[0]?.path).toBe('layout.notes[0]');
    expect(issuesOf(fileWith({ notes: [note({ color: 'javascript:alert(1)' })] }))[0]?.path).toBe('layout.notes[0].color');
    const dup = issuesOf(fileWith({ notes: [note()], frames: [{ id: 'n1', x: 0, y: 0, width: 100, height: 100, color: 'blue', title: 't' }] }));
    expect(dup[0]?.path).toBe('layout.frames[0].id');
    expect(dup[0]?.message).toContain('duplicate annotation id "n1"');
  });
  it('a top-level "annotations" (the in-memory name) is not part of the file format', () => {
    expect(issuesOf(fileWith(base.layout, { annotations: { notes: [] } }))[0]?.path).toBe('annotations');
  });
  it('node ids "notes" and "frames" are refused, and never made', () => {
    const text = JSON.stringify({ ...JSON.parse(serializePipeline(base)), nodes: [{ ...base.nodes[0], id: 'notes' }], layout: {} });
    expect(issuesOf(text)).toContainEqual({ path: 'nodes[0].id', message: expect.stringContaining('node id "notes" is reserved') });
    // a node named "notes" gets another id (ids come from names)
    expect(uniqueId(base, 'notes')).toBe('notes-2');
    expect(uniqueId(base, 'frames')).toBe('frames-2');
  });
  it('a thousand-notes file within the caps still parses quickly enough to be a normal file', () => {
    const notes = Array.from({ length: MAX_NOTES }, (_, i) => note({ id: `n${i}`, text: 'y'.repeat(MAX_NOTE_TEXT) }));
    const doc = parsePipeline(fileWith({ ...base.layout, notes })).pipeline;
    expect(doc.annotations?.notes).toHaveLength(MAX_NOTES);
  });
});

describe('edits', () => {
  it('clamp what the format refuses, so no edit makes a document the schema would refuse', () => {
    const p = annotated();
    const q = updateAnnotation(p, 'note', 'note-1', { width: 1e9, x: Number.POSITIVE_INFINITY, text: 'z'.repeat(MAX_NOTE_TEXT * 2) });
    const n = q.annotations!.notes![0]!;
    expect([n.width, n.text.length]).toEqual([2000, MAX_NOTE_TEXT]);
    expect(() => parsePipeline(serializePipeline(q))).not.toThrow();
    expect(updateAnnotation(p, 'note', 'nope', { x: 5 })).toBe(p);
    expect(updateAnnotation(p, 'note', 'note-1', { x: 10 })).toBe(p); // already there (10.4 was rounded)
  });

  it('a frame carries what lies wholly inside it, and moving it moves those nodes with it in one edit', () => {
    const p = annotated();
    const frame = p.annotations!.frames![0]!;
    const cards = Object.entries(p.layout).map(([id, at]) => ({ id, ...at, width: 220, height: 90 }));
    expect(frameContents(frame, cards)).toEqual(['lots', 'counts']);
    // one pixel over the edge is outside
    expect(frameContents({ ...frame, width: 300 + 220 - (-40) - 1 }, cards)).toEqual(['lots']);
    const moved = moveAnnotations(p, { [frame.id]: { x: frame.x + 100, y: frame.y + 50 } }, { lots: { x: 100, y: 50 }, counts: { x: 400, y: 50 } });
    expect(moved.annotations!.frames![0]).toMatchObject({ x: 60, y: -10 });
    expect(moved.layout).toEqual({ lots: { x: 100, y: 50 }, counts: { x: 400, y: 50 }, other: { x: 300, y: 600 } });
    expect(moved.nodes).toBe(p.nodes);
    expect(moveAnnotations(p, { [frame.id]: { x: frame.x, y: frame.y } })).toBe(p);
  });

  it('the box around cards leaves a margin and room for the title', () => {
    expect(boxAround([{ x: 0, y: 0, width: 100, height: 50 }, { x: 200, y: 100, width: 100, height: 50 }])).toEqual({ x: -32, y: -60, width: 364, height: 242 });
    expect(boxAround([])).toBeNull();
  });

  it('deleting a node leaves the frames and notes; removing a frame leaves its nodes', () => {
    const p = annotated();
    const without = deleteNodes(p, ['lots']);
    expect(without.annotations).toEqual(p.annotations);
    const noFrame = removeAnnotations(p, ['frame-1']);
    expect(noFrame.nodes).toBe(p.nodes);
    expect(noFrame.layout).toBe(p.layout);
    expect(noFrame.annotations?.frames).toBeUndefined();
  });

  it('refuse to add past the caps', () => {
    let p = base;
    for (let i = 0; i < MAX_NOTES; i++) {
      const r = addNote(p, { x: i, y: 0 });
      if (!r.ok) throw new Error(r.message);
      p = r.pipeline;
    }
    expect(addNote(p, { x: 0, y: 0 })).toEqual({ ok: false, message: `A pipeline holds at most ${MAX_NOTES} notes.` });
  });
});

describe('a reviewer, the preview session and a merge see them as layout', () => {
  it('the semantic diff calls a note or frame change layout only', () => {
    const before = annotated();
    const after = updateAnnotation(moveAnnotations(before, { 'frame-1': { x: 0, y: 0 } }), 'note', 'note-1', { text: 'changed' });
    const d = diffPipelines(before, after);
    expect(d.layoutOnly).toBe(true);
    expect(d.identical).toBe(false);
    expect(d.layout.annotations).toEqual([
      { type: 'note', id: 'note-1', change: 'changed' },
      { type: 'frame', id: 'frame-1', change: 'changed' },
    ]);
    expect(diffSummaryLine(d)).toBe('layout only (no effect on results): 1 note changed, 1 frame changed');
    const added = diffPipelines(base, before);
    expect(added.layoutOnly).toBe(true);
    expect(added.layout.annotations.map((x) => x.change)).toEqual(['added', 'added']);
    // a sub-pixel move writes the same file: no change
    expect(diffPipelines(before, moveAnnotations(before, { 'note-1': { x: 10.2, y: -20 } })).identical).toBe(true);
    // a node moved with its frame is layout too
    expect(diffPipelines(before, moveNodes(before, { lots: { x: 5, y: 5 } })).layoutOnly).toBe(true);
  });

  it('the preview session’s edits carry them (diffDocs / applyDelta)', () => {
    const a = annotated();
    const b = updateAnnotation(a, 'frame', 'frame-1', { title: 'Renamed' });
    const delta = diffDocs(a, b)!;
    expect(delta).toEqual({ set: { annotations: b.annotations } });
    expect(applyDelta(a, JSON.parse(JSON.stringify(delta)))).toEqual(b);
    expect(applyDelta(b, JSON.parse(JSON.stringify(diffDocs(b, base)!))).annotations).toBeUndefined();
    expect(() => applyDelta(a, { set: { annotations: { notes: [{ id: 'x', x: 0, y: 0, width: 1e9, height: 10, color: 'yellow', text: '' }] } } })).toThrow();
  });

  it('a three-way merge keeps either side’s change and calls both changed differently a conflict', () => {
    const b = annotated();
    const ours = moveNodes(b, { other: { x: 0, y: 900 } });
    const theirs = updateAnnotation(b, 'note', 'note-1', { text: 'theirs' });
    const merged = mergePipelines(b, ours, theirs);
    expect(merged.conflicts).toEqual([]);
    expect(merged.merged?.annotations?.notes?.[0]?.text).toBe('theirs');
    expect(merged.merged?.layout.other).toEqual({ x: 0, y: 900 });
    const both = mergePipelines(b, updateAnnotation(b, 'note', 'note-1', { text: 'ours' }), theirs);
    expect(both.merged).toBeNull();
    expect(both.conflicts[0]?.path).toBe('layout.notes/frames');
  });
});
