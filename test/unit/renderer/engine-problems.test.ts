import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ValidationIssue } from '../../../shared/errors';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { updateNode } from '../../../shared/pipeline/doc-edits';
import { useDoc } from '../../../src-renderer/document/doc-store';
import { engineOnly, previewBlocker, refusal, runBlocker } from '../../../src-renderer/document/engine-problems';

/** The API client, answered by each test: the module reads `window` when it loads. */
const validate = vi.hoisted(() => ({ calls: [] as { input: Record<string, unknown>; resolve: (issues: ValidationIssue[]) => void; reject: (e: Error) => void }[] }));
vi.mock('../../../src-renderer/api/client', () => ({
  api: {
    call: (method: string, input: Record<string, unknown>) => {
      if (method !== 'pipeline.validate') throw new Error(`unexpected ${method}`);
      return new Promise((resolve, reject) => validate.calls.push({ input, resolve: (issues) => resolve({ issues }), reject }));
    },
  },
}));

const { engineProblemsNow, resetEngineProblems, startEngineProblems, EDIT_DELAY_MS } = await import('../../../src-renderer/run/problem-actions');

const PATH = 'pipelines/p.weir.json';
const pipeline: Pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'p',
  params: {},
  nodes: [
    { id: 'a', name: 'a', kind: 'seed', inputs: [], config: { columns: [{ name: 'x', type: 'INTEGER' }], rows: [[1]] } },
    { id: 'b', name: 'b', kind: 'sql', inputs: ['a'], config: { sql: ['select x from a'] } },
    { id: 'c', name: 'c', kind: 'sql', inputs: ['a'], config: { sql: ['select x from a'] } },
    { id: 'out', name: 'out', kind: 'file_sink', inputs: ['b'], config: { path: 'data/out.csv', format: 'csv' } },
  ],
  layout: {},
};

const copyIssue = (i: number, name: string): ValidationIssue => ({ path: `nodes[${i}].config.sql`, message: `node "${name}": holds 2 statements; it must be exactly one SELECT query` });

beforeEach(() => {
  validate.calls = [];
  resetEngineProblems();
  useDoc.getState().load({ root: '/ws', path: PATH, pipeline, text: '', sha256: '' });
});
afterEach(() => vi.useRealTimers());

describe("the engine's problems, beside the designer's own", () => {
  it('keeps only what the designer does not find itself, by node id', () => {
    const p = structuredClone(pipeline);
    p.nodes[3]!.inputs = [];
    const local = { path: 'nodes[3].inputs', message: 'a file_sink node takes 1 input, got 0' };
    const env = { path: '', message: 'no environment "qa"' };
    expect(engineOnly(p, [local, copyIssue(1, 'b'), env])).toEqual([
      { nodeId: 'b', path: 'config.sql', message: copyIssue(1, 'b').message },
      { nodeId: null, path: '', message: env.message },
    ]);
  });

  it('joins the local problems once, on the card of its node (by id, after the node moved in the list)', () => {
    useDoc.getState().setEngineProblems(engineOnly(pipeline, [copyIssue(1, 'b')]));
    const s = useDoc.getState();
    expect(s.issues).toEqual([copyIssue(1, 'b')]);
    expect(s.nodeIssues.get('b')).toEqual([{ path: 'config.sql', message: copyIssue(1, 'b').message }]);
    // Node a deleted: b is now nodes[0], and the problem follows it.
    useDoc.getState().apply((p) => ({ ...p, nodes: p.nodes.filter((n) => n.id !== 'a').map((n) => ({ ...n, inputs: n.inputs.filter((i) => i !== 'a') })) }));
    expect(useDoc.getState().issues.filter((i) => i.message === copyIssue(1, 'b').message)).toEqual([copyIssue(0, 'b')]);
    // Opening a file forgets the last file's answer.
    useDoc.getState().load({ root: '/ws', path: PATH, pipeline, text: '', sha256: '' });
    expect(useDoc.getState().issues).toEqual([]);
  });

  it('a card whose problems did not change keeps its list (it does not re-render)', () => {
    useDoc.getState().setEngineProblems(engineOnly(pipeline, [copyIssue(1, 'b')]));
    const before = useDoc.getState().nodeIssues.get('b');
    useDoc.getState().setEngineProblems(engineOnly(pipeline, [copyIssue(1, 'b'), copyIssue(2, 'c')]));
    expect(useDoc.getState().nodeIssues.get('b')).toBe(before);
    expect(useDoc.getState().nodeIssues.get('c')).toHaveLength(1);
  });

  it('stops a preview only for problems of the nodes it computes (not sinks, not the pipeline-wide ones)', () => {
    const problems = engineOnly(pipeline, [
      { path: '', message: 'parameter n: expected an integer' },
      { path: 'nodes[3].config.path', message: 'file_sink "out": "data" would replace "data/raw"' },
      copyIssue(2, 'c'),
    ]);
    expect(previewBlocker(pipeline, 'b', problems)).toBeNull();
    expect(previewBlocker(pipeline, 'out', problems)).toBeNull();
    expect(previewBlocker(pipeline, 'c', problems)?.message).toBe(copyIssue(2, 'c').message);
    // Upstream counts: a problem of a stops every node computed from it.
    const upstream = engineOnly(pipeline, [{ path: 'nodes[0].config', message: 'node "a": x' }]);
    expect(previewBlocker(pipeline, 'out', upstream)?.nodeId).toBe('a');
    expect(refusal('preview', previewBlocker(pipeline, 'c', problems)!)).toBe(`Cannot preview: ${copyIssue(2, 'c').message}`);
  });

  it('stops a run for any of them, saying how many more there are', () => {
    const problems = engineOnly(pipeline, [{ path: '', message: 'no environment "qa"' }, copyIssue(2, 'c')]);
    expect(refusal('run', runBlocker(problems)!, problems.length)).toBe('Cannot run: no environment "qa" (and 1 more problem)');
    expect(runBlocker([])).toBeNull();
  });
});

describe('asking the engine', () => {
  it('sends the document in the editor with the workspace, the path and the environment', async () => {
    const answer = engineProblemsNow();
    expect(validate.calls).toHaveLength(1);
    expect(validate.calls[0]!.input).toMatchObject({ root: '/ws', path: PATH, pipeline: useDoc.getState().doc });
    // Asked again about the same document: the same question, not a second one.
    void engineProblemsNow();
    expect(validate.calls).toHaveLength(1);
    validate.calls[0]!.resolve([copyIssue(1, 'b')]);
    expect((await answer)?.map((p) => p.nodeId)).toEqual(['b']);
    expect(useDoc.getState().issues).toEqual([copyIssue(1, 'b')]);
    // Answered: no question at all.
    expect((await engineProblemsNow())?.length).toBe(1);
    expect(validate.calls).toHaveLength(1);
  });

  it('drops an answer to an older question', async () => {
    const old = engineProblemsNow();
    useDoc.getState().apply((p) => updateNode(p, 'b', { config: { sql: ['select x from a'] } }));
    const fresh = engineProblemsNow();
    expect(validate.calls).toHaveLength(2);
    validate.calls[1]!.resolve([]);
    await fresh;
    validate.calls[0]!.resolve([copyIssue(1, 'b')]);
    await old;
    expect(useDoc.getState().issues).toEqual([]);
  });

  it('refuses nothing when the engine cannot answer', async () => {
    const answer = engineProblemsNow();
    validate.calls[0]!.reject(new Error('offline'));
    expect(await answer).toBeNull();
  });

  it('asks once a pause after edits, not on every keystroke, and not for a move', async () => {
    vi.useFakeTimers();
    const stop = startEngineProblems();
    try {
      await vi.advanceTimersByTimeAsync(100);
      expect(validate.calls).toHaveLength(1); // the open document
      validate.calls[0]!.resolve([]);
      for (const sql of ['s', 'se', 'sel', 'select 1; select 2']) {
        useDoc.getState().apply((p) => updateNode(p, 'c', { config: { sql: [sql] } }), { coalesce: 'config:c' });
        await vi.advanceTimersByTimeAsync(EDIT_DELAY_MS / 4);
      }
      expect(validate.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(EDIT_DELAY_MS);
      expect(validate.calls).toHaveLength(2);
      expect((validate.calls[1]!.input.pipeline as Pipeline).nodes[2]!.config.sql).toEqual(['select 1; select 2']);
      useDoc.getState().apply((p) => ({ ...p, layout: { ...p.layout, c: { x: 10, y: 10 } } }));
      await vi.advanceTimersByTimeAsync(EDIT_DELAY_MS * 2);
      expect(validate.calls).toHaveLength(2);
    } finally {
      stop();
    }
  });
});
