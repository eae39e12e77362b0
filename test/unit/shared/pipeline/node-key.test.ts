import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../shared/canonical-json';
import { parsePipeline } from '../../../../shared/pipeline/parse';
import { configAsRun, nodeKeyText } from '../../../../shared/pipeline/node-key';
import { nodeCacheKey } from '../../../../src-main/engine/cache/cache-key';
import { planPipeline } from '../../../../src-main/engine/run/plan';
import { findWorkspace } from '../../../../src-main/engine/workspace/workspace';
import { TEMPLATE_PIPELINE, templateDir } from '../../../support/templates';

describe("a node's key: one definition for the engine's cache and the designer's live preview", () => {
  const parts = {
    kind: 'sql',
    name: 'typed',
    config: { materialize: 'auto', sql: ['select 1'] },
    inputs: [{ name: 'raw', key: 'abc' }],
    params: { factor: 2 },
    engine: 'v1.5.6',
  };

  it('is the hash of the shared text, as cache entries were keyed before (no entry is orphaned)', () => {
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(nodeCacheKey(parts)).toBe(sha(nodeKeyText(parts)));
    expect(nodeKeyText(parts)).toBe(canonicalJson({ format: 1, ...parts }));
    expect(nodeCacheKey(parts)).toBe(sha('{"config":{"materialize":"auto","sql":["select 1"]},"engine":"v1.5.6","format":1,"inputs":[{"key":"abc","name":"raw"}],"kind":"sql","name":"typed","params":{"factor":2}}'));
  });

  it("reads every node's config as the engine plans it (the kind's schema, defaults filled in)", () => {
    const root = templateDir('cgt-batch-release');
    const file = join(root, TEMPLATE_PIPELINE['cgt-batch-release']);
    const { pipeline } = parsePipeline(readFileSync(file, 'utf8'), file);
    const plan = planPipeline(pipeline, findWorkspace(root), 'r', null, file);
    expect(plan.nodes).toHaveLength(pipeline.nodes.length);
    for (const p of plan.nodes) expect(configAsRun(p.node)).toEqual(p.ctx.config);
    // Written without its defaults, a config is the same config.
    expect(configAsRun({ kind: 'sql', config: { sql: ['select 1'] } })).toEqual(configAsRun({ kind: 'sql', config: { sql: ['select 1'], materialize: 'auto' } }));
    // One that does not parse is compared as written.
    expect(configAsRun({ kind: 'sql', config: { sql: 7 } })).toEqual({ sql: 7 });
  });
});
