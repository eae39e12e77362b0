import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeService, makeWorkspace, samplePipeline } from './fixture';

let ws: Awaited<ReturnType<typeof makeWorkspace>>;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

const FILE = 'pipelines/release.weir.json';

describe('pipeline.plan: what weir plan prints, through the API', () => {
  it('plans the file on disk: every node in run order with the statements it runs', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const plan = await call('pipeline.plan', { root: ws.root, path: FILE });
    expect(plan.pipeline).toBe('release');
    expect(plan.steps.map((s: { name: string }) => s.name)).toEqual(['lots', 'passing', 'out']);
    const passing = plan.steps[1];
    expect(passing).toMatchObject({ step: 2, id: 'passing', kind: 'sql', relation: 'view', inputs: ['lots'], selected: true });
    expect(passing.statements.join('\n')).toMatch(/create (or replace )?view "?passing"?/i);
    expect(passing.statements.join('\n')).toContain('where viability >= 70');
  });

  it('plans a selection: the node and what it needs, sinks left out', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const plan = await call('pipeline.plan', { root: ws.root, path: FILE, select: 'passing' });
    expect(plan.steps.map((s: { name: string; selected: boolean }) => [s.name, s.selected])).toEqual([
      ['lots', false],
      ['passing', true],
    ]);
  });

  it('plans an unsaved document as if it were the file', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const doc = samplePipeline();
    doc.nodes[1]!.config = { materialize: 'auto', sql: ['select lot from lots where viability >= 90'] };
    const plan = await call('pipeline.plan', { root: ws.root, path: FILE, pipeline: doc });
    expect(plan.steps[1].statements.join('\n')).toContain('viability >= 90');
  });

  it('refuses an unknown selection and a broken file with one line naming the problem', async () => {
    const { dispatch } = makeService(ws.home, { open: ws.root });
    const unknown = await dispatch('pipeline.plan', { root: ws.root, path: FILE, select: 'nope' });
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'usage', message: expect.stringContaining('nope') } });
    const broken = await dispatch('pipeline.plan', { root: ws.root, path: 'pipelines/broken.weir.json' });
    expect(broken).toMatchObject({ ok: false, error: { kind: 'invalid' } });
  });
});
