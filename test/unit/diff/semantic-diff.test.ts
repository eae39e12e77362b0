import { describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { parsePipeline } from '../../../shared/pipeline/parse';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { diffPipelines } from '../../../shared/pipeline/semantic-diff';
import { formatPipelineDiff } from '../../../shared/pipeline/semantic-diff-text';
import { batchPipeline, clone } from '../../integration/git/helpers';

const sqlOf = (p: Pipeline, id: string) => p.nodes.find((n) => n.id === id)!.config.sql as string[];

describe('semantic pipeline diff', () => {
  it('finds nothing between a pipeline and its canonical reload', () => {
    const p = batchPipeline();
    const reloaded = parsePipeline(serializePipeline(p)).pipeline;
    const d = diffPipelines(p, reloaded);
    expect(d.identical).toBe(true);
    expect(formatPipelineDiff(d)).toBe('no changes\n');
  });

  it('matches nodes by id: a rename is a rename, with the downstream SQL rewrite shown as SQL', () => {
    const a = batchPipeline();
    const b = clone(a);
    b.nodes[1]!.name = 'clean_assays';
    sqlOf(b, 'n3')[4] = 'from clean_assays';
    const d = diffPipelines(a, b);
    expect(d.nodes.added).toEqual([]);
    expect(d.nodes.removed).toEqual([]);
    expect(d.nodes.renamed).toEqual([{ id: 'n2', from: 'clean', to: 'clean_assays' }]);
    expect(d.nodes.changed.map((c) => c.id)).toEqual(['n2', 'n3']);
    const n3 = d.nodes.changed[1]!;
    expect(n3.renamed).toBeNull();
    expect(n3.sql[0]!.diff.hunks[0]!.lines.filter((l) => l.op !== ' ').map((l) => l.op + l.text)).toEqual(['-from clean', '+from clean_assays']);
  });

  it('reports added and removed nodes, kind changes, inputs and config values by JSON path', () => {
    const a = batchPipeline();
    const b = clone(a);
    b.nodes.push({ id: 'n5', name: 'flags', kind: 'sql', inputs: ['n3', 'n2'], config: { sql: ['select * from summary'] } });
    b.nodes = b.nodes.filter((n) => n.id !== 'n4');
    delete b.layout.n4;
    b.nodes[0]!.config.rows = [['B0141', 0.91, 72.5], ['B0142', 0.66, 80.1], ['B0143', 0.88, 55]];
    b.nodes[2]!.inputs = ['n1'];
    b.nodes[2]!.description = 'one row per batch';
    b.nodes[1]!.config.materialize = 'table';
    const d = diffPipelines(a, b);
    expect(d.nodes.added.map((n) => [n.id, n.name, n.kind])).toEqual([['n5', 'flags', 'sql']]);
    expect(d.nodes.added[0]!.node.inputs).toEqual(['n3', 'n2']);
    expect(d.nodes.removed.map((n) => n.id)).toEqual(['n4']);
    const byId = Object.fromEntries(d.nodes.changed.map((c) => [c.id, c]));
    expect(byId.n1!.config).toEqual([{ path: 'config.rows[1][1]', change: 'changed', before: 0.65, after: 0.66 }]);
    expect(byId.n2!.config).toEqual([{ path: 'config.materialize', change: 'changed', before: 'auto', after: 'table' }]);
    expect(byId.n3!.inputs).toMatchObject({ added: ['n1'], removed: ['n2'], names: { n1: 'assays', n2: 'clean' } });
    expect(byId.n3!.config).toEqual([{ path: 'description', change: 'added', after: 'one row per batch' }]);
    expect(d.layout.moved).toEqual([]);
    expect(d.layoutOnly).toBe(false);

    const k = clone(a);
    k.nodes[1]!.kind = 'file_sink';
    expect(diffPipelines(a, k).nodes.changed[0]!.kindChanged).toEqual({ from: 'sql', to: 'file_sink' });
  });

  it('lists array elements added or removed when an array changes length', () => {
    const a = batchPipeline();
    const b = clone(a);
    (b.nodes[0]!.config.rows as unknown[]).splice(1, 0, ['B0140', 0.9, 60]);
    const d = diffPipelines(a, b);
    expect(d.nodes.changed[0]!.config).toEqual([{ path: 'config.rows[1]', change: 'added', after: ['B0140', 0.9, 60] }]);
  });

  it('keeps layout apart: moves only are layout-only, sub-pixel moves are no moves', () => {
    const a = batchPipeline();
    const b = clone(a);
    b.layout.n2 = { x: 300, y: 60 };
    b.layout.n3 = { x: 480.3, y: -0.2 };
    const d = diffPipelines(a, b);
    expect(d.layoutOnly).toBe(true);
    expect(d.identical).toBe(false);
    expect(d.nodes.changed).toEqual([]);
    expect(d.layout.moved).toEqual([{ id: 'n2', name: 'clean', before: { x: 240, y: 0 }, after: { x: 300, y: 60 } }]);
    const text = formatPipelineDiff(d);
    expect(text).toContain('layout only (no effect on results)');
    expect(text).toContain('moved clean (n2): (240, 0) → (300, 60)');

    const r = clone(a);
    r.nodes.reverse();
    const rd = diffPipelines(a, r);
    expect(rd).toMatchObject({ layoutOnly: true, layout: { reordered: true, moved: [] } });
  });

  it('reports params and pipeline fields, and a missing side as created or deleted', () => {
    const a = batchPipeline();
    const b = clone(a);
    b.params.batch_id = { type: 'string', default: 'B0142' };
    b.params.min_viability = { type: 'number', default: 0.8 };
    b.description = 'Release summary';
    const d = diffPipelines(a, b);
    expect(d.params.map((p) => [p.name, p.change])).toEqual([['batch_id', 'added'], ['min_viability', 'changed']]);
    expect(d.pipeline).toEqual([{ path: 'description', change: 'changed', before: 'Release summary per batch', after: 'Release summary' }]);
    const created = diffPipelines(null, a);
    expect(created).toMatchObject({ created: true, deleted: false, summary: { added: 4 } });
    expect(diffPipelines(a, null)).toMatchObject({ created: false, deleted: true, summary: { removed: 4 } });
  });

  it('renders a reviewer text: one line per node change, SQL as +/- lines with a hunk header', () => {
    const a = batchPipeline();
    const b = clone(a);
    sqlOf(b, 'n2')[5] = 'where viability is not null and cd3_pct > 0';
    b.nodes[3]!.config.path = 'out/release.csv';
    b.layout.n4 = { x: 720, y: 100 };
    const text = formatPipelineDiff(diffPipelines(a, b), { beforeLabel: 'HEAD', afterLabel: 'working copy' });
    expect(text).toBe(
      [
        '--- HEAD',
        '+++ working copy',
        '2 nodes changed; SQL +1 -1 lines; layout: 1 node moved',
        '',
        'nodes',
        '  ~ changed  clean  (sql, id n2)',
        '      sql:',
        '        @@ -3,4 +3,4 @@',
        '            viability,',
        '            cd3_pct',
        '          from assays',
        '        - where viability is not null',
        '        + where viability is not null and cd3_pct > 0',
        '  ~ changed  out  (file_sink, id n4)',
        '      config.path: "out/summary.csv" → "out/release.csv"',
        '',
        'layout only (no effect on results)',
        '  moved out (n4): (720, 0) → (720, 100)',
        '',
      ].join('\n'),
    );
  });
});
