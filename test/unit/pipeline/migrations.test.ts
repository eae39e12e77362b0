import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { migrations } from '../../../shared/pipeline/migrations';
import { parsePipeline } from '../../../shared/pipeline/parse';
import { PIPELINE_VERSION } from '../../../shared/pipeline/schema';

const draft = readFileSync(new URL('../../fixtures/pipelines/draft-v0.weir.json', import.meta.url), 'utf8');

describe('migrations', () => {
  it('form one chain from version 0 up to the current version', () => {
    const froms = migrations.map((m) => m.from);
    expect(froms).toEqual([...Array(PIPELINE_VERSION).keys()]);
    for (const m of migrations) expect(m.to).toBe(m.from + 1);
  });

  it('migrate the draft (v0) shape: edges become inputs, positions layout, SQL lines', () => {
    const { pipeline, migratedFrom } = parsePipeline(draft, 'draft');
    expect(migratedFrom).toBe(0);
    expect(pipeline.version).toBe(1);
    const [numbers, doubled] = pipeline.nodes;
    expect(numbers).toMatchObject({ id: 's1', name: 'numbers', kind: 'seed', inputs: [] });
    expect(numbers?.config).toEqual({ columns: [{ name: 'n', type: 'INTEGER' }], rows: [[1], [2], [3]] });
    expect(doubled).toMatchObject({ id: 'q1', kind: 'sql', inputs: ['s1'], config: { sql: ['select n * 2 as n2', 'from numbers'] } });
    expect(pipeline.layout).toEqual({ s1: { x: 10, y: 20 }, q1: { x: 300, y: 20 } });
  });

  it('a migrated file saves as the current version and then loads without migrating', () => {
    const saved = serializePipeline(parsePipeline(draft).pipeline);
    expect(JSON.parse(saved).version).toBe(PIPELINE_VERSION);
    const again = parsePipeline(saved);
    expect(again.migratedFrom).toBeNull();
    expect(serializePipeline(again.pipeline)).toBe(saved);
  });
});
