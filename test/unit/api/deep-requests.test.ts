import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_REQUEST_DEPTH, tooDeepAt } from '../../../shared/api/validate';
import { makeService, makeWorkspace, samplePipeline } from './fixture';

/**
 * A request nested without end (a pipeline document whose seed row holds an array in an array
 * ... a hundred thousand times: a few hundred KB from an MCP client, a page or the renderer)
 * overflowed the stack inside the handlers and came back as "internal error: Maximum call stack
 * size exceeded". Every transport goes through the one dispatcher, which now refuses it first,
 * as a usage error naming where it nests too deep; a document within the file's own depth rule
 * is still answered as before.
 */
let ws: Awaited<ReturnType<typeof makeWorkspace>>;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

/** The sample pipeline with `depth` nested arrays in its seed's first row (built without recursion). */
function nested(depth: number) {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  const p = samplePipeline();
  p.nodes[0] = { ...p.nodes[0]!, config: { ...(p.nodes[0]!.config as object), rows: [[v, 1]] } };
  return p;
}

describe('requests nested too deep', () => {
  it.each(['pipeline.validate', 'pipeline.plan'])('%s: refused as usage, naming the field, not an internal error', async (method) => {
    const { dispatch } = makeService(ws.home, { open: ws.root });
    const env = await dispatch(method, { root: ws.root, path: 'pipelines/release.weir.json', pipeline: nested(100_000) });
    expect(env.ok).toBe(false);
    if (env.ok) return;
    expect(env.error.kind).toBe('usage');
    expect(env.error.message).toContain(`nested more than ${MAX_REQUEST_DEPTH} levels deep (at pipeline.nodes[0].config.rows[0]`);
  });

  it('a document within the file depth rule is still checked as a document', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const { issues } = await call('pipeline.validate', { root: ws.root, path: 'pipelines/release.weir.json', pipeline: nested(3) });
    expect(issues.map((i: { message: string }) => i.message).join('\n')).not.toContain('nested more than');
  });

  it('tooDeepAt walks without recursion and stops at shared references', () => {
    let v: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) v = { a: v };
    expect(tooDeepAt(v, 10)).toBe('a.a.a.a.a.a.a.a');
    const shared = { x: 1 };
    expect(tooDeepAt({ a: shared, b: shared, c: [shared, shared] }, 10)).toBeNull();
  });
});
