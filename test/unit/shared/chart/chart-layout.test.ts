import { describe, expect, it } from 'vitest';
import { defaultChart } from '../../../../shared/chart/spec';
import { serializePipeline } from '../../../../shared/pipeline/canonical';
import { applyDelta, diffDocs } from '../../../../shared/pipeline/doc-delta';
import { deleteNodes, moveNodes } from '../../../../shared/pipeline/doc-edits';
import { parsePipeline } from '../../../../shared/pipeline/parse';
import { renameNode } from '../../../../shared/pipeline/rename';
import type { Pipeline } from '../../../../shared/pipeline/schema';
import { diffPipelines } from '../../../../shared/pipeline/semantic-diff';
import { diffSummaryLine, formatPipelineDiff } from '../../../../shared/pipeline/semantic-diff-text';

/**
 * A chart kept on a node (the preview's Chart tab) lives in the pipeline file's layout, beside
 * the node's position: one line, away from what the node computes, and a reviewer's diff calls a
 * change of it layout only.
 */
const doc = (): Pipeline =>
  parsePipeline(
    JSON.stringify({
      format: 'weir.pipeline',
      version: 1,
      name: 'p',
      params: {},
      nodes: [
        { id: 'src', name: 'raw', kind: 'seed', inputs: [], config: { columns: [{ name: 'v', type: 'INTEGER' }], rows: [[1]] } },
        { id: 'readings', name: 'readings', kind: 'sql', inputs: ['src'], config: { sql: ['select * from raw'] } },
      ],
      layout: { src: { x: 0, y: 0 }, readings: { x: 300, y: 0 } },
    }),
  ).pipeline;

const withChart = (p: Pipeline): Pipeline => ({
  ...p,
  layout: { ...p.layout, readings: { x: 300, y: 0, chart: { mark: 'line', x: 'reading_at', y: ['ph', 'do_pct'], color: 'batch_id' } } },
});

describe('a chart kept on a node', () => {
  it('is written on the node’s layout line, in the spec’s key order, and reads back the same', () => {
    const text = serializePipeline(withChart(doc()));
    expect(text).toContain('    "readings": { "x": 300, "y": 0, "chart": { "mark": "line", "x": "reading_at", "y": ["ph", "do_pct"], "color": "batch_id" } }\n');
    const back = parsePipeline(text).pipeline;
    expect(back.layout.readings?.chart).toEqual({ mark: 'line', x: 'reading_at', y: ['ph', 'do_pct'], color: 'batch_id' });
    expect(serializePipeline(back)).toBe(text);
    // A histogram's empty y is the default, left out.
    const hist = serializePipeline({ ...doc(), layout: { ...doc().layout, readings: { x: 1, y: 2, chart: { mark: 'histogram', x: 'ph', y: [] } } } });
    expect(hist).toContain('"readings": { "x": 1, "y": 2, "chart": { "mark": "histogram", "x": "ph" } }');
  });

  it('refuses a chart that is not one, naming where', () => {
    const bad = JSON.parse(serializePipeline(doc())) as { layout: Record<string, unknown> };
    bad.layout.readings = { x: 1, y: 2, chart: { mark: 'pie', x: 'a' } };
    expect(() => parsePipeline(JSON.stringify(bad))).toThrow(/layout\.readings\.chart\.mark/);
    bad.layout.readings = { x: 1, y: 2, chart: { mark: 'line', x: 'a', sql: 'select 1' } };
    expect(() => parsePipeline(JSON.stringify(bad))).toThrow(/layout\.readings\.chart/);
  });

  it('stays with the node when it moves or is renamed, and goes when it is deleted', () => {
    const p = withChart(doc());
    const moved = moveNodes(p, { readings: { x: 500, y: 40 } });
    expect(moved.layout.readings).toEqual({ x: 500, y: 40, chart: p.layout.readings!.chart });
    const renamed = renameNode(p, 'readings', 'bioreactor_readings');
    expect(renamed.pipeline.layout.readings?.chart).toEqual(p.layout.readings!.chart);
    expect(deleteNodes(p, ['readings']).layout.readings).toBeUndefined();
  });

  it('is a layout-only change in the semantic diff, said in words', () => {
    const before = doc();
    const after = withChart(before);
    const d = diffPipelines(before, after);
    expect(d.layoutOnly).toBe(true);
    expect(d.nodes.changed).toEqual([]);
    expect(d.layout.charts).toEqual([{ id: 'readings', name: 'readings', before: null, after: after.layout.readings!.chart }]);
    expect(diffSummaryLine(d)).toBe('layout only (no effect on results): 1 chart changed');
    expect(formatPipelineDiff(d)).toContain('chart of readings (readings): none → line of ph, do_pct by reading_at, colour batch_id');
    expect(diffPipelines(after, after).identical).toBe(true);
  });

  it('travels in a preview’s edits', () => {
    const before = doc();
    const after = withChart(before);
    const delta = diffDocs(before, after)!;
    expect(delta.put).toBeUndefined();
    expect(applyDelta(before, delta).layout.readings?.chart).toEqual(after.layout.readings!.chart);
  });
});

describe('the chart a node’s columns suggest', () => {
  it('lines for a time and numbers, coloured by a batch column; bars for a category; a histogram for one number', () => {
    const readings = [
      { name: 'batch_id', type: 'VARCHAR' },
      { name: 'site', type: 'VARCHAR' },
      { name: 'reading_at', type: 'TIMESTAMP' },
      { name: 'ph', type: 'DOUBLE' },
      { name: 'do_pct', type: 'DOUBLE' },
    ];
    expect(defaultChart(readings)).toEqual({ mark: 'line', x: 'reading_at', y: ['ph'], color: 'batch_id' });
    expect(defaultChart([{ name: 'site', type: 'VARCHAR' }, { name: 'viability', type: 'DECIMAL(5,2)' }])).toEqual({ mark: 'bar', x: 'site', y: ['viability'], agg: 'avg' });
    expect(defaultChart([{ name: 'cell_count', type: 'BIGINT' }, { name: 'viability', type: 'DOUBLE' }])).toEqual({ mark: 'scatter', x: 'cell_count', y: ['viability'] });
    // An id measures nothing: the one measure's histogram, not viability against the id.
    expect(defaultChart([{ name: 'id', type: 'INTEGER' }, { name: 'viability', type: 'DOUBLE' }])).toEqual({ mark: 'histogram', x: 'viability', y: [] });
    expect(defaultChart([{ name: 'viability', type: 'DOUBLE' }])).toEqual({ mark: 'histogram', x: 'viability', y: [] });
    expect(defaultChart([{ name: 'tags', type: 'VARCHAR[]' }])).toBeNull();
  });
});
