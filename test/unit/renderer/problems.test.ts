import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../../shared/errors';
import { checkNodes } from '../../../shared/pipeline/parse';
import type { Pipeline } from '../../../shared/pipeline/schema';
import type { CheckResult } from '../../../shared/run/record';
import { collectProblems, tally, type ProblemFacts } from '../../../src-renderer/problems/collect';
import { columnProblems } from '../../../src-renderer/problems/column-problems';
import type { Problem } from '../../../src-renderer/problems/problem';

const pipeline = (): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name: 'p',
  params: {},
  nodes: [
    { id: 'b', name: 'batches', kind: 'seed', inputs: [], config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }], rows: [['B1']] } },
    { id: 'a', name: 'assays', kind: 'seed', inputs: [], config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }, { name: 'value', type: 'DOUBLE' }], rows: [['B1', 1]] } },
    { id: 'j', name: 'joined', kind: 'join', inputs: ['b', 'a'], config: { on: [{ left: 'id', right: 'id' }] } },
    { id: 's', name: 'summary', kind: 'sql', inputs: ['j'], config: { sql: ['select *', 'from joined'] } },
    { id: 'c', name: 'assay_checks', kind: 'check', inputs: ['a'], config: { rules: [{ type: 'row_count', min: 1 }, { type: 'not_null', column: 'value', severity: 'warn' }, { type: 'unique', columns: ['batch_id'] }] } },
  ],
  layout: {},
});

const facts = (doc: Pipeline, over: Partial<ProblemFacts> = {}): ProblemFacts => ({
  doc,
  path: 'pipelines/p.weir.json',
  issues: checkNodes(doc),
  localIssues: checkNodes(doc),
  columns: [],
  preview: { nodeId: null, error: null, errorNodeId: null, refused: false, current: true },
  run: { path: null, nodes: {}, error: null },
  markers: {},
  ...over,
});

/** What a line of the problems list says: node, field, message. */
const said = (ps: readonly Problem[]) => ps.map((p) => [p.nodeName, p.fieldLabel, p.message]);

describe('one problems model', () => {
  it('a validation problem names its node and field (never nodes[i]), in words', () => {
    const doc = pipeline();
    doc.nodes.push({ id: 'g', name: 'avg_value', kind: 'aggregate', inputs: [], config: { aggregates: [{ fn: 'avg' }] } });
    const ps = collectProblems(facts(doc));
    expect(said(ps)).toEqual([
      ['avg_value', 'Aggregates #1 › Column', 'expected the column avg reads'],
      ['avg_value', 'Inputs', 'an aggregate node takes 1 input, got 0'],
    ]);
    expect(ps.map((p) => [p.source, p.nodeId, p.field])).toEqual([
      ['validation', 'g', 'config.aggregates[0].column'],
      ['validation', 'g', 'inputs'],
    ]);
  });

  it("tells the engine's problems from the designer's own, and keeps those about the pipeline", () => {
    const doc = pipeline();
    const engine: ValidationIssue[] = [
      { path: 'nodes[3].config.sql', message: 'node "summary": holds 2 statements; it must be exactly one SELECT query' },
      { path: '', message: 'no environment "qa"' },
    ];
    const ps = collectProblems(facts(doc, { issues: engine, localIssues: [] }));
    expect(ps.map((p) => [p.source, p.nodeName, p.field, p.fieldLabel])).toEqual([
      ['engine', 'summary', 'config.sql', 'SQL'],
      ['engine', null, '', null],
    ]);
  });

  it("a join's default id = id over inputs without an id is a problem on each key, naming the input and its columns", () => {
    const doc = pipeline();
    const columns: Record<string, string[]> = { b: ['batch_id'], a: ['batch_id', 'value'] };
    const ps = columnProblems(doc, (node, i) => columns[node.inputs[i]!] ?? null);
    expect(said(ps)).toEqual([
      ['joined', 'Match on #1 › Left column', '"id" is not a column of batches (its columns: batch_id)'],
      ['joined', 'Match on #1 › Right column', '"id" is not a column of assays (its columns: batch_id, value)'],
    ]);
    expect(ps.map((p) => p.field)).toEqual(['config.on[0].left', 'config.on[0].right']);
    // Keys that exist (in any case, as DuckDB compares names) are no problem; nor is an input not yet described.
    doc.nodes[2]!.config = { on: [{ left: 'BATCH_ID', right: 'batch_id' }] };
    expect(columnProblems(doc, (node, i) => columns[node.inputs[i]!] ?? null)).toEqual([]);
    doc.nodes[2]!.config = { on: [{ left: 'id', right: 'id' }] };
    expect(columnProblems(doc, () => null)).toEqual([]);
    // A check's columns, lists included.
    doc.nodes[4]!.config = { rules: [{ type: 'unique', columns: ['batch_id', 'lot'] }] };
    expect(said(columnProblems(doc, (node, i) => columns[node.inputs[i]!] ?? null).filter((p) => p.nodeId === 'c'))).toEqual([
      ['assay_checks', 'Rules #1 › Columns #2', '"lot" is not a column of assays (its columns: batch_id, value)'],
    ]);
  });

  it('a failed preview is a problem of the node the engine named; a refusal or an edited node is not counted again', () => {
    const doc = pipeline();
    const failed = { nodeId: 's', error: 'node "joined": Binder Error: column "id" not found', errorNodeId: 'j', refused: false, current: true };
    expect(said(collectProblems(facts(doc, { preview: failed })))).toEqual([['joined', null, failed.error]]);
    expect(collectProblems(facts(doc, { preview: { ...failed, refused: true } }))).toEqual([]);
    expect(collectProblems(facts(doc, { preview: { ...failed, current: false } }))).toEqual([]);
    // The join's missing keys already say it: the failed preview of it adds nothing to fix.
    const missing = columnProblems(doc, () => ['batch_id']).filter((p) => p.nodeId === 'j');
    expect(collectProblems(facts(doc, { preview: failed, columns: missing })).map((p) => p.source)).toEqual(['columns', 'columns']);
    // A SQL node's failure points at its SQL, at the line DuckDB said.
    const sqlFail = { nodeId: 's', error: 'node "summary", line 2: Parser Error', errorNodeId: 's', refused: false, current: true };
    const [p] = collectProblems(facts(doc, { preview: sqlFail, markers: { s: { line: 2, message: 'Parser Error' } } }));
    expect(p).toMatchObject({ source: 'preview', nodeName: 'summary', field: 'config.sql', fieldLabel: 'SQL', line: 2 });
  });

  it("a run's failed node and failed checks are problems of their nodes; a failed check points at its rule", () => {
    const doc = pipeline();
    const check = (rule: string, passed: boolean, severity: 'error' | 'warn', message?: string): CheckResult => ({ rule, severity, passed, failingRows: passed ? 0 : 3, sample: [], ...(message ? { message } : {}) });
    const run = {
      path: 'pipelines/p.weir.json',
      error: null,
      nodes: {
        s: { status: 'failed', message: 'node "summary": Binder Error: x', line: null, checks: null },
        c: { status: 'failed', message: 'check failed', line: null, checks: [check('row_count', true, 'error'), check('not_null_value', false, 'warn'), check('unique_batch_id', false, 'error', '3 duplicated batch_id values')] },
        b: { status: 'done', message: null, line: null, checks: null },
      },
    };
    const ps = collectProblems(facts(doc, { run }));
    expect(ps.map((p) => [p.source, p.severity, p.nodeName, p.field, p.message])).toEqual([
      ['run', 'error', 'summary', '', 'node "summary": Binder Error: x'],
      ['check', 'warning', 'assay_checks', 'config.rules[1]', 'rule "not_null_value" failed: 3 failing rows'],
      ['check', 'error', 'assay_checks', 'config.rules[2]', 'rule "unique_batch_id" failed: 3 duplicated batch_id values'],
    ]);
    expect(ps[1]!.fieldLabel).toBe('Rules #2');
    expect(tally(ps)).toEqual({ errors: 2, warnings: 1 });
    // A run of another file says nothing about this one; a run that could not start is the pipeline's problem.
    expect(collectProblems(facts(doc, { run: { ...run, path: 'pipelines/other.weir.json' } }))).toEqual([]);
    expect(said(collectProblems(facts(doc, { run: { path: 'pipelines/p.weir.json', nodes: {}, error: 'no environment "qa"' } })))).toEqual([[null, null, 'Run failed: no environment "qa"']]);
  });

  it('column problems joined to the issues (for the cards) are listed once, as missing columns', () => {
    const doc = pipeline();
    const columns = columnProblems(doc, () => ['batch_id']).filter((p) => p.nodeId === 'j');
    const joined = columns.map((p) => ({ path: `nodes[2].${p.field}`, message: p.message }));
    const ps = collectProblems(facts(doc, { issues: joined, localIssues: [], columns }));
    expect(ps.map((p) => [p.source, p.field])).toEqual([
      ['columns', 'config.on[0].left'],
      ['columns', 'config.on[0].right'],
    ]);
  });

  it('a SQL marker with no failure on show still counts, once', () => {
    const doc = pipeline();
    const markers = { s: { line: 1, message: 'Parser Error: syntax error at or near "form"' } };
    expect(collectProblems(facts(doc, { markers })).map((p) => [p.source, p.nodeName, p.field, p.line])).toEqual([['sql', 'summary', 'config.sql', 1]]);
  });
});
