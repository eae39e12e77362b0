import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCgtLots, loadPipelineFile, type PreviewSession } from '../../../src-main/engine';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { testEngine } from '../../support/engine';
import { copyTemplate } from '../../support/templates';

// The designer's lot picker goes through pipeline.preview's `lot` (api/preview.ts) to the warm
// session (run/preview-session.ts): the lot's pipeline, its inputs only, its key's variable.
let file: string;
let pipeline: Pipeline;
let session: PreviewSession;

beforeAll(async () => {
  const ws = copyTemplate('cgt-batch-release', { prefix: 'weir-lots-preview-' });
  file = join(ws, 'pipelines', 'release_by_lot.weir.json');
  await generateCgtLots({ outDir: join(ws, 'data', 'raw'), batches: 3, readingsPerBatch: 12 });
  const loaded = await loadPipelineFile(file);
  // A node reading the key's variable, as a lot's SQL may.
  pipeline = {
    ...loaded.pipeline,
    nodes: [...loaded.pipeline.nodes, { id: 'which', name: 'which', kind: 'sql', inputs: ['src_assays'], config: { sql: ["select getvariable('batch_id') as lot, list(distinct batch_id order by batch_id) as seen, count(*) as n from raw_assays"] } }],
  };
  session = await testEngine().previewSession(file);
});
afterAll(async () => {
  await session?.close();
});

const preview = (lot?: string) => testEngine().preview({ pipeline, file, nodeId: 'which', ...(lot ? { lot } : {}) }, session);

describe('a preview of one lot', () => {
  it("reads only the lot's inputs and sets the key's variable; another lot remakes only the lot's nodes", async () => {
    const all = await preview();
    expect(all.rows[0]!.slice(0, 2)).toEqual([null, ['B0001', 'B0002', 'B0003']]);
    const counts: number[] = [];
    for (const lot of ['B0001', 'B0002', 'B0003']) {
      const one = await preview(lot);
      expect(one.rows[0]!.slice(0, 2)).toEqual([lot, [lot]]);
      counts.push(Number(one.rows[0]![2]));
      // The lot's file is read again; the lot-independent nodes stay.
      expect(session.last.made.sort()).toEqual(['raw_assays', 'which']);
    }
    // The lots' rows together are every lot's: each preview read its own lot's files, all of them.
    expect(counts.reduce((a, b) => a + b, 0)).toBe(Number(all.rows[0]![2]));
    const b2 = await preview('B0002');
    // Back to a lot already seen, unchanged: the same rows.
    expect((await preview('B0002')).rows).toEqual(b2.rows);
  });

  it('refuses a lot value that cannot be one, and a lot of a pipeline without partitions', async () => {
    await expect(preview('../B0001')).rejects.toThrow(/"\.\.\/B0001" is not a lot value/);
    const plain = { ...pipeline, partitions: undefined };
    await expect(testEngine().preview({ pipeline: plain, file, nodeId: 'which', lot: 'B0001' }, session)).rejects.toThrow(/the pipeline is not partitioned/);
  });
});
