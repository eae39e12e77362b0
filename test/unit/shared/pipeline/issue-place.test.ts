import { describe, expect, it } from 'vitest';
import { article } from '../../../../shared/format';
import { PipelineInvalidError } from '../../../../shared/errors';
import { configFieldLabel, describeIssue, invalidNodesError, issuePlace, issuesOfNodes, splitJsonPath, withoutNodePrefix } from '../../../../shared/pipeline/issue-place';
import { checkNodes } from '../../../../shared/pipeline/parse';
import type { Pipeline } from '../../../../shared/pipeline/schema';

const pipeline = (): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name: 'p',
  params: {},
  nodes: [
    { id: 'b', name: 'batches', kind: 'seed', inputs: [], config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }], rows: [['B1']] } },
    { id: 'a', name: 'assays', kind: 'seed', inputs: [], config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }, { name: 'value', type: 'DOUBLE' }], rows: [['B1', 1]] } },
    { id: 'j', name: 'joined', kind: 'join', inputs: ['b', 'a'], config: { on: [{ left: 'id', right: 'id' }] } },
    { id: 'g', name: 'avg_value', kind: 'aggregate', inputs: [], config: { group_by: ['batch_id'], aggregates: [{ fn: 'avg' }] } },
    { id: 'c', name: 'checked', kind: 'check', inputs: ['a'], config: { rules: [{ type: 'row_count', min: 1 }, { type: 'not_null', column: '' }] } },
    { id: 'f', name: 'raw', kind: 'file_source', inputs: [], config: { path: '../../etc/passwd', format: 'csv' } },
  ],
  layout: {},
});

describe('where a problem is, in words', () => {
  it('splits JSON paths as jsonPath writes them', () => {
    expect(splitJsonPath('nodes[3].config.aggregates[0].column')).toEqual(['nodes', 3, 'config', 'aggregates', 0, 'column']);
    expect(splitJsonPath('layout["a b"]')).toEqual(['layout', 'a b']);
    expect(splitJsonPath('')).toEqual([]);
  });

  it("maps a zod path to the node's name, the field inside it and the field's label as the form shows it", () => {
    const p = pipeline();
    const place = issuePlace(p, 'nodes[3].config.aggregates[0].column');
    expect(place.node?.name).toBe('avg_value');
    expect(place.field).toBe('config.aggregates[0].column');
    expect(place.fieldLabel).toBe('Aggregates #1 › Column');
    expect(issuePlace(p, 'nodes[2].config.on[0].left').fieldLabel).toBe('Match on #1 › Left column');
    expect(issuePlace(p, 'nodes[3].inputs').fieldLabel).toBe('Inputs');
    expect(issuePlace(p, 'nodes[5].config.path').fieldLabel).toBe('Path');
    expect(issuePlace(p, 'nodes[2]')).toMatchObject({ field: '', fieldLabel: null });
    // Not about a node: the pipeline's path, as it is.
    expect(issuePlace(p, 'params.batch_id')).toEqual({ node: null, field: 'params.batch_id', fieldLabel: null });
    expect(issuePlace(p, 'nodes[99].name').node).toBeNull();
  });

  it("labels a check rule's field by the rule's own variant", () => {
    const p = pipeline();
    expect(issuePlace(p, 'nodes[4].config.rules[1].column').fieldLabel).toMatch(/^Rules #2 › Column/);
    expect(configFieldLabel('check', ['rules', 0, 'min'], p.nodes[4]!.config)).toMatch(/^Rules #1 › /);
  });

  it("words every validation problem of a node by its name, never by its position in the file", () => {
    const p = pipeline();
    const lines = checkNodes(p).map((i) => describeIssue(p, i));
    expect(lines).toContain('aggregate "avg_value", Aggregates #1 › Column: expected the column avg reads');
    expect(lines).toContain('aggregate "avg_value", Inputs: an aggregate node takes 1 input, got 0');
    expect(lines).toContain('file_source "raw", Path: expected a path inside the workspace (no "..")');
    for (const line of lines) expect(line).not.toMatch(/nodes\[\d+\]|\ba aggregate\b/);
  });

  it('drops the words that only repeat the node where the node is named beside them', () => {
    const node = { name: 'batches', kind: 'sql' };
    expect(withoutNodePrefix('node "batches": holds 2 statements', node)).toBe('holds 2 statements');
    expect(withoutNodePrefix('sql "batches", line 2: x', node)).toBe('line 2: x');
    expect(withoutNodePrefix('node "other": x', node)).toBe('node "other": x');
  });

  it('takes a hostile kind or name as text, never as a pattern', () => {
    const hostile = { kind: 'x\x1b[2J[(', name: 'a.*b)(' };
    expect(withoutNodePrefix('node "a.*b)(": y', hostile)).toBe('y');
    expect(withoutNodePrefix('x\x1b[2J[( "a.*b)(", z', hostile)).toBe('z');
    expect(withoutNodePrefix('node "aXXb)(": y', hostile)).toBe('node "aXXb)(": y');
  });

  it('an error for invalid nodes is a 4xx kind that names the first node, and keeps every issue', () => {
    const p = pipeline();
    const issues = issuesOfNodes(p, checkNodes(p), new Set(['g']));
    expect(issues.map((i) => i.path)).toEqual(['nodes[3].config.aggregates[0].column', 'nodes[3].inputs']);
    const e = invalidNodesError(p, issues);
    expect(e).toBeInstanceOf(PipelineInvalidError);
    expect(e.kind).toBe('invalid');
    expect(e.message).toBe('aggregate "avg_value", Aggregates #1 › Column: expected the column avg reads (and 1 more problem)');
    expect(e.details).toEqual({ nodeId: 'g', nodeName: 'avg_value' });
    expect(e.issues).toEqual(issues);
  });
});

describe('messages in words', () => {
  it('articles read aloud', () => {
    expect(['aggregate', 'union', 'file_sink', 'http_source', 'unique', 'input', 'expression', 'sql'].map((w) => `${article(w)} ${w}`)).toEqual([
      'an aggregate',
      'a union',
      'a file_sink',
      'an http_source',
      'a unique',
      'an input',
      'an expression',
      'a sql',
    ]);
  });

  it('duplicate names and ids name the other node, not its index', () => {
    const p = pipeline();
    p.nodes.push({ ...p.nodes[0]!, id: 'b2', name: 'Batches' }, { ...p.nodes[1]!, name: 'assays2' });
    const messages = checkNodes(p).map((i) => i.message);
    expect(messages).toContain('duplicate node name "Batches" (node "batches" differs only in case); names must be unique');
    expect(messages).toContain('duplicate node id "a" (also the id of node "assays")');
    for (const m of messages) expect(m).not.toMatch(/nodes\[\d+\]/);
  });
});
