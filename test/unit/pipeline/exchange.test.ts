import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { parsePipeline } from '../../../shared/pipeline/parse';
import { exportPipeline, importPipelineFile, importPipelineText, schemaRefFor, upgradePipelineFile } from '../../../src-main/engine/pipeline/exchange';
import { batchPipeline, tempDir } from '../../integration/git/helpers';

/** A file in the draft format (version 0) of the early prototypes. */
const draftV0 = {
  format: 'weir.pipeline',
  version: 0,
  name: 'legacy_release',
  nodes: [
    { id: 'a', name: 'assays', type: 'seed', position: { x: 10.4, y: 20 }, columns: [{ name: 'batch_id', type: 'VARCHAR' }], rows: [['B1']] },
    { id: 'b', name: 'latest', type: 'sql', position: { x: 200, y: 20 }, sql: 'select *\r\nfrom assays\n' },
  ],
  edges: [{ from: 'a', to: 'b' }],
};

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('weir-exchange-')));
afterEach(() => cleanup());

describe('pipeline import and export', () => {
  it('imports an older format version, migrates it and says so', async () => {
    const file = join(dir, 'legacy.weir.json');
    writeFileSync(file, JSON.stringify(draftV0, null, 2));
    const r = await importPipelineFile(file);
    expect(r.migratedFrom).toBe(0);
    expect(r.message).toBe('imported legacy_release (migrated from format version 0 to 1; save it to keep the upgrade)');
    expect(r.migrations).toEqual(['v0 → v1: draft (v0): edges become node inputs, positions move to layout, SQL becomes lines']);
    expect(r.pipeline.nodes[1]).toEqual({ id: 'b', name: 'latest', kind: 'sql', inputs: ['a'], config: { sql: ['select *', 'from assays'] } });
    expect(r.pipeline.layout).toEqual({ a: { x: 10.4, y: 20 }, b: { x: 200, y: 20 } });
  });

  it('refuses a newer format version with a message that says to upgrade', () => {
    const newer = { ...JSON.parse(serializePipeline(batchPipeline())), version: 2 };
    expect(() => importPipelineText(JSON.stringify(newer), 'from-the-future.weir.json')).toThrow(
      'from-the-future.weir.json at version: written by a newer Weir (pipeline format version 2); this Weir reads versions up to 1. Upgrade Weir to open it.',
    );
  });

  it('exports the canonical file, which imports unchanged and round-trips byte for byte', async () => {
    const current = importPipelineText(serializePipeline(batchPipeline()));
    expect(current).toMatchObject({ migratedFrom: null, migrations: [], message: 'imported batch_release' });
    const out = join(dir, 'exported/batch.weir.json');
    const text = await exportPipeline(current.pipeline, out);
    expect(readFileSync(out, 'utf8')).toBe(text);
    expect(text).toBe(serializePipeline(batchPipeline()));
    expect(serializePipeline(parsePipeline(text).pipeline)).toBe(text);
  });

  it('upgrades an old file to the canonical current version, naming the JSON Schema by relative path', async () => {
    const ws = join(dir, 'workspace');
    const src = join(dir, 'legacy.weir.json');
    writeFileSync(src, JSON.stringify(draftV0));
    const dest = join(ws, 'pipelines/deep/legacy.weir.json');
    const r = await upgradePipelineFile(src, dest, { workspaceRoot: ws });
    expect(r.migratedFrom).toBe(0);
    const written = readFileSync(dest, 'utf8');
    expect(written).toBe(r.text);
    expect(JSON.parse(written)).toMatchObject({ $schema: '../../schema/weir.pipeline.v1.schema.json', version: 1 });
    // Positions are rounded and SQL is lines: the canonical form.
    expect(written).toContain('"a": { "x": 10, "y": 20 }');
    expect(written).toContain('"sql": [\n          "select *",\n          "from assays"\n        ]');
    expect((await importPipelineFile(dest)).migratedFrom).toBeNull();
    expect(schemaRefFor(join(ws, 'a.weir.json'), ws)).toBe('schema/weir.pipeline.v1.schema.json');
  });

  it('names the file in a one-line error when it cannot be read', async () => {
    await expect(importPipelineFile(join(dir, 'none.weir.json'))).rejects.toThrow(/none\.weir\.json: no such pipeline file$/);
  });
});
