import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api/envelope';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { useDoc } from '../../../src-renderer/document/doc-store';
import { markerMessage, onDocEdited, onNodeCall, onRunEvent, useSqlMarkers } from '../../../src-renderer/sql/sql-markers-store';

const pipeline: Pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'p',
  params: {},
  nodes: [
    { id: 'a', name: 'a', kind: 'sql', inputs: [], config: { sql: ['select 1 as x'] } },
    { id: 'b', name: 'b', kind: 'sql', inputs: ['a'], config: { sql: ['select x', 'from a'] } },
    { id: 'c', name: 'c', kind: 'sql', inputs: ['b'], config: { sql: ['select x', 'from b'] } },
  ],
  layout: {},
};
const path = 'pipelines/p.weir.json';
const nodeError = (nodeId: string, line?: number, column?: number) =>
  new ApiError({ kind: 'node', message: `node "${nodeId}"${line ? `, line ${line}` : ''}: Binder Error: no column "y"`, details: { nodeId, nodeName: nodeId, line, column } });
const byNode = () => useSqlMarkers.getState().byNode;

beforeEach(() => {
  useDoc.getState().load({ root: '/ws', path, pipeline, text: '', sha256: '' });
  useSqlMarkers.getState().reset(path);
});

describe('SQL error markers', () => {
  it('a failed preview marks the node the error names, at its line and column, without the "node …, line n:" prefix', () => {
    onNodeCall('pipeline.preview', { path, nodeId: 'c', pipeline }, nodeError('b', 2, 8));
    expect(byNode()).toEqual({ b: { line: 2, column: 8, message: 'Binder Error: no column "y"', from: 'preview' } });
  });

  it('a successful preview clears the node and its upstream, not what is downstream', () => {
    onNodeCall('pipeline.preview', { path, nodeId: 'c', pipeline }, nodeError('b', 2));
    onRunEvent(path, { type: 'node_failed', runId: 'r', nodeId: 'c', name: 'c', error: 'node "c", line 1: x', line: 1, durationMs: 1, at: '' });
    onNodeCall('pipeline.preview', { path, nodeId: 'b', pipeline }, null);
    expect(Object.keys(byNode())).toEqual(['c']);
  });

  it('ignores cancelled calls, other pipelines, and the success of input schema lookups', () => {
    onNodeCall('pipeline.preview', { path, nodeId: 'b', pipeline }, nodeError('b', 2));
    onNodeCall('pipeline.preview', { path, nodeId: 'b', pipeline }, new ApiError({ kind: 'cancelled', message: 'preview cancelled' }));
    onNodeCall('pipeline.preview', { path: 'pipelines/other.weir.json', nodeId: 'b', pipeline }, null);
    onNodeCall('pipeline.describeInputs', { path, nodeId: 'c', pipeline }, null);
    expect(byNode().b?.line).toBe(2);
  });

  it('an error without a line clears the old marker of that node', () => {
    onNodeCall('pipeline.preview', { path, nodeId: 'b', pipeline }, nodeError('b', 2));
    onNodeCall('pipeline.preview', { path, nodeId: 'b', pipeline }, nodeError('b'));
    expect(byNode()).toEqual({});
  });

  it('runs: a new run starts clean, a failure with a line marks, a finished node is cleared', () => {
    onNodeCall('pipeline.preview', { path, nodeId: 'a', pipeline }, nodeError('a', 1));
    onRunEvent(path, { type: 'run_started', runId: 'r', pipeline: 'p', nodes: [], at: '' });
    expect(byNode()).toEqual({});
    onRunEvent(path, { type: 'node_failed', runId: 'r', nodeId: 'b', name: 'b', error: 'node "b", line 2: Binder Error: nope', line: 2, column: 3, durationMs: 1, at: '' });
    expect(byNode().b).toEqual({ line: 2, column: 3, message: 'Binder Error: nope', from: 'run' });
    onRunEvent(path, { type: 'node_finished', runId: 'r2', nodeId: 'b', name: 'b', rows: 1, durationMs: 1, cached: false, at: '' });
    expect(byNode()).toEqual({});
    // Events of another pipeline are not ours.
    onRunEvent('pipelines/other.weir.json', { type: 'node_failed', runId: 'r', nodeId: 'b', name: 'b', error: 'x', line: 1, durationMs: 1, at: '' });
    expect(byNode()).toEqual({});
  });

  it("an edit to a marked node's SQL or inputs takes its marker down; edits elsewhere keep it", () => {
    // `batch_idd` on line 1 failed in a preview; then line 2 reads a table that is no input,
    // which the designer refuses without asking DuckDB: the line-1 marker must not stay.
    onNodeCall('pipeline.preview', { path, nodeId: 'b', pipeline }, nodeError('b', 1));
    onNodeCall('pipeline.preview', { path, nodeId: 'c', pipeline }, nodeError('c', 2));
    const withB = (b: Partial<Pipeline['nodes'][number]>): Pipeline => ({ ...pipeline, nodes: pipeline.nodes.map((n) => (n.id === 'b' ? { ...n, ...b } : n)) });
    const described = withB({ description: 'counts' });
    onDocEdited(path, pipeline, described);
    expect(Object.keys(byNode()).sort()).toEqual(['b', 'c']);
    const edited = withB({ config: { sql: ['select x', 'from nope'] } });
    onDocEdited(path, described, edited);
    expect(Object.keys(byNode())).toEqual(['c']);
    onDocEdited('pipelines/other.weir.json', edited, pipeline);
    expect(Object.keys(byNode())).toEqual(['c']);
    onDocEdited(path, edited, { ...edited, nodes: edited.nodes.map((n) => (n.id === 'c' ? { ...n, inputs: ['a'] } : n)) });
    expect(byNode()).toEqual({});
  });

  it('strips the node prefix, quoted names included', () => {
    expect(markerMessage('node "a ""b""", line 3: Parser Error: syntax error at or near "from"')).toBe('Parser Error: syntax error at or near "from"');
    expect(markerMessage('Parser Error: x')).toBe('Parser Error: x');
  });
});
