import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { methodNames, methods } from '../../../shared/api/contract';
import { makeService, makeWorkspace } from './fixture';

let ws: Awaited<ReturnType<typeof makeWorkspace>>;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

describe('the dispatcher every transport calls', () => {
  it('implements every method of the contract, and nothing else', () => {
    const { service } = makeService(ws.home, { open: ws.root });
    expect(Object.keys(service.handlers).sort()).toEqual([...methodNames].sort());
    for (const m of methodNames) expect(methods[m].summary.length).toBeGreaterThan(10);
  });

  it('refuses an unknown method with a one-line usage error', async () => {
    const { dispatch } = makeService(ws.home, { open: ws.root });
    expect(await dispatch('fs.deleteEverything', {})).toEqual({ ok: false, error: { kind: 'usage', message: 'no API method "fs.deleteEverything"' } });
  });

  it('validates input against the contract before any handler runs, naming the field', async () => {
    const { dispatch } = makeService(ws.home, { open: ws.root });
    const relative = await dispatch('workspace.open', { root: 'relative/folder' });
    expect(relative).toMatchObject({ ok: false, error: { kind: 'usage' } });
    const escape = await dispatch('pipeline.read', { root: ws.root, path: '../../etc/passwd.weir.json' });
    expect(escape).toMatchObject({ ok: false, error: { kind: 'usage', message: expect.stringContaining('pipeline.read input: path: expected a path inside the workspace') } });
    const extra = await dispatch('pipeline.read', { root: ws.root, path: 'pipelines/release.weir.json', evil: true });
    expect(extra).toMatchObject({ ok: false, error: { kind: 'usage', message: expect.stringContaining('evil') } });
    const badPipeline = await dispatch('pipeline.save', { root: ws.root, path: 'pipelines/x.weir.json', pipeline: { format: 'nope' } });
    expect(badPipeline).toMatchObject({ ok: false, error: { kind: 'usage', message: expect.stringMatching(/^pipeline\.save input: pipeline\./) } });
  });

  it('answers with the envelope and no stack trace when a handler fails', async () => {
    const { dispatch } = makeService(ws.home, { open: ws.root });
    const missing = await dispatch('pipeline.read', { root: ws.root, path: 'pipelines/none.weir.json' });
    expect(missing).toMatchObject({ ok: false, error: { kind: 'invalid', message: 'pipelines/none.weir.json: no such pipeline file' } });
    expect(JSON.stringify(missing)).not.toMatch(/\n\s+at /);
    const broken = await dispatch('pipeline.read', { root: ws.root, path: 'pipelines/broken.weir.json' });
    expect(broken.ok).toBe(false);
    if (!broken.ok) {
      expect(broken.error.message).toMatch(/^pipelines\/broken\.weir\.json: malformed JSON/);
      expect(broken.error.message).not.toMatch(/\n\s+at /);
    }
  });
});
