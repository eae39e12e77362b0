import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../../shared/pipeline/schema';
import { makeService, makeWorkspace, samplePipeline } from '../../api/fixture';

/**
 * PIVOT in node SQL through the preflight's sandbox: with its values listed (as the pivot step
 * writes it) it is one query DuckDB serializes, checked like any other; without them it is more
 * than one statement, refused with a message saying how to write it.
 */
let ws: Awaited<ReturnType<typeof makeWorkspace>>;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

function withSql(...sql: string[]): Pipeline {
  const p = samplePipeline();
  p.nodes[1] = { ...p.nodes[1]!, config: { materialize: 'auto', sql } };
  return p;
}

async function validate(pipeline: unknown) {
  const { call } = makeService(ws.home, { open: ws.root });
  return (await call('pipeline.validate', { pipeline, root: ws.root, path: 'pipelines/release.weir.json' })).issues as { path: string; message: string }[];
}

describe('PIVOT in the sandbox', () => {
  it('accepts a PIVOT with its values listed, and still refuses what it reads besides its inputs', async () => {
    expect(await validate(withSql("select * from lots pivot (sum(viability) for lot in ('B1', 'B2'))"))).toEqual([]);
    const sneaky = await validate(withSql("select * from lots pivot (sum(viability) for lot in ('B1')) join read_text('/etc/passwd') on true"));
    expect(sneaky).toHaveLength(1);
    expect(sneaky[0]!.message).toMatch(/^node "passing": calls the table function read_text\(\)/);
  });

  it('refuses a PIVOT whose values are not listed, saying how to list them', async () => {
    const issues = await validate(withSql('pivot lots on lot using sum(viability)'));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/^node "passing": holds 2 statements; it must be exactly one SELECT query \(a PIVOT statement cannot be checked: write it after FROM with its values listed, e\.g\. FROM t PIVOT \(sum\(v\) FOR k IN \('a', 'b'\)\)/);
  });
});
