import { describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { mergeLines } from '../../../src-main/engine/git/line-merge';
import { mergePipelines } from '../../../src-main/engine/git/merge-pipelines';
import { batchPipeline, clone } from '../../integration/git/helpers';

const node = (p: Pipeline, id: string) => p.nodes.find((n) => n.id === id)!;
const sqlOf = (p: Pipeline, id: string) => node(p, id).config.sql as string[];

describe('three-way line merge', () => {
  const base = ['a', 'b', 'c', 'd', 'e'];
  it('keeps both sides’ edits to separate lines', () => {
    expect(mergeLines(base, ['A', 'b', 'c', 'd', 'e'], ['a', 'b', 'c', 'd', 'E'])).toEqual({ merged: ['A', 'b', 'c', 'd', 'E'], conflict: false });
    expect(mergeLines(base, ['a', 'b', 'c', 'x', 'd', 'e'], ['a', 'c', 'd', 'e'])).toEqual({ merged: ['a', 'c', 'x', 'd', 'e'], conflict: false });
    expect(mergeLines(base, base, ['a', 'b'])).toEqual({ merged: ['a', 'b'], conflict: false });
  });
  it('takes an identical change once, and refuses overlapping or touching different changes', () => {
    expect(mergeLines(base, ['a', 'B', 'c', 'd', 'e'], ['a', 'B', 'c', 'd', 'e'])).toEqual({ merged: ['a', 'B', 'c', 'd', 'e'], conflict: false });
    expect(mergeLines(base, ['a', 'B', 'c', 'd', 'e'], ['a', 'b2', 'c', 'd', 'e']).conflict).toBe(true);
    // Neighbouring lines conflict, as in git's own merge.
    expect(mergeLines(base, ['a', 'B', 'c', 'd', 'e'], ['a', 'b', 'C', 'd', 'e']).conflict).toBe(true);
    expect(mergeLines(base, [...base, 'x'], [...base, 'y']).conflict).toBe(true);
  });
});

describe('structural pipeline merge', () => {
  const base = batchPipeline();
  const merge = (ours: (p: Pipeline) => void, theirs: (p: Pipeline) => void) => {
    const o = clone(base);
    const t = clone(base);
    ours(o);
    theirs(t);
    return mergePipelines(base, o, t);
  };

  it('merges the edits a line merge rejects: neighbouring moves, two appended nodes, an added param after a changed one', () => {
    const r = merge(
      (p) => {
        p.layout.n2 = { x: 250, y: 40 };
        p.nodes.push({ id: 'n5', name: 'viable', kind: 'sql', inputs: ['n3'], config: { sql: ['select * from summary where viable'] } });
        p.layout.n5 = { x: 720, y: 160 };
        p.params.min_viability = { type: 'number', default: 0.6 };
      },
      (p) => {
        p.layout.n3 = { x: 490, y: 80 };
        p.nodes.push({ id: 'n6', name: 'low_cd3', kind: 'sql', inputs: ['n2'], config: { sql: ['select * from clean where cd3_pct < 60'] } });
        p.layout.n6 = { x: 480, y: 160 };
        p.params.site = { type: 'string', default: 'Leiden' };
      },
    );
    expect(r.conflicts).toEqual([]);
    const m = r.merged!;
    expect(m.nodes.map((n) => n.id)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
    expect(m.layout).toMatchObject({ n2: { x: 250, y: 40 }, n3: { x: 490, y: 80 }, n5: { x: 720, y: 160 }, n6: { x: 480, y: 160 } });
    expect(m.params).toEqual({ min_viability: { type: 'number', default: 0.6 }, site: { type: 'string', default: 'Leiden' } });
  });

  it('merges SQL line by line and seed rows row by row within one node', () => {
    const r = merge(
      (p) => {
        sqlOf(p, 'n3')[0] = 'select distinct';
        (node(p, 'n1').config.rows as unknown[][])[0] = ['B0141', 0.92, 72.5];
      },
      (p) => {
        sqlOf(p, 'n3')[5] = 'order by batch_id desc';
        (node(p, 'n1').config.rows as unknown[][]).push(['B0144', 0.8, 70]);
      },
    );
    expect(r.conflicts).toEqual([]);
    expect(sqlOf(r.merged!, 'n3')[0]).toBe('select distinct');
    expect(sqlOf(r.merged!, 'n3')[5]).toBe('order by batch_id desc');
    expect(node(r.merged!, 'n1').config.rows).toEqual([
      ['B0141', 0.92, 72.5],
      ['B0142', 0.65, 80.1],
      ['B0143', 0.88, 55],
      ['B0144', 0.8, 70],
    ]);
  });

  it('reports real conflicts instead of guessing', () => {
    const sameLine = merge(
      (p) => void (sqlOf(p, 'n2')[5] = 'where viability > 0.5'),
      (p) => void (sqlOf(p, 'n2')[5] = 'where viability > 0.6'),
    );
    expect(sameLine).toEqual({ merged: null, conflicts: [{ path: 'nodes[n2].config.sql', message: 'both sides changed the same lines' }] });
    const rename = merge(
      (p) => void (node(p, 'n2').name = 'a'),
      (p) => void (node(p, 'n2').name = 'b'),
    );
    expect(rename.conflicts).toEqual([{ path: 'nodes[n2].name', message: 'changed differently on both sides' }]);
    const deleted = merge(
      (p) => {
        p.nodes = p.nodes.filter((n) => n.id !== 'n4');
        delete p.layout.n4;
      },
      (p) => void (node(p, 'n4').config.path = 'out/x.csv'),
    );
    expect(deleted.conflicts).toEqual([{ path: 'nodes[n4]', message: 'deleted on one side and changed on the other' }]);
    // Each side valid, together invalid: a new node wired to a node the other side deleted.
    const dangling = merge(
      (p) => {
        p.nodes = p.nodes.filter((n) => n.id !== 'n4');
        delete p.layout.n4;
        p.nodes.push({ id: 'n5', name: 'out2', kind: 'file_sink', inputs: ['n3'], config: { path: 'o.csv', format: 'csv' } });
        node(p, 'n3').inputs = ['n1'];
      },
      (p) => {
        p.nodes = p.nodes.filter((n) => n.id !== 'n2');
        delete p.layout.n2;
        node(p, 'n3').inputs = ['n1'];
        sqlOf(p, 'n3')[4] = 'from assays';
      },
    );
    expect(dangling.conflicts).toEqual([]);
    const bad = merge(
      (p) => {
        p.nodes = p.nodes.filter((n) => n.id !== 'n2');
        node(p, 'n3').inputs = ['n1'];
      },
      (p) => void p.nodes.push({ id: 'n5', name: 'extra', kind: 'sql', inputs: ['n2'], config: { sql: ['select 1'] } }),
    );
    expect(bad.merged).toBeNull();
    expect(bad.conflicts[0]!.message).toMatch(/the merged pipeline would be invalid: input "n2" of node "extra" is not a node in this pipeline/);
  });
});
