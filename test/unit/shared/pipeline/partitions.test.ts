import { describe, expect, it } from 'vitest';
import { isLotKey, lotPath, parseShard, shardOf } from '../../../../shared/pipeline/partitions';
import { lotGlob, lotSinkPath, pipelineForLot } from '../../../../shared/pipeline/lot-pipeline';
import { partitionIssues } from '../../../../shared/pipeline/partition-issues';
import { parsePipeline } from '../../../../shared/pipeline/parse';
import { serializePipeline } from '../../../../shared/pipeline/canonical';
import { applyDelta, diffDocs } from '../../../../shared/pipeline/doc-delta';
import { diffPipelines } from '../../../../shared/pipeline/semantic-diff';
import { pipelineV1, type Pipeline } from '../../../../shared/pipeline/schema';

const base = (extra: Partial<Pipeline> = {}): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name: 'lots',
  params: {},
  nodes: [
    { id: 'a', name: 'raw_assays', kind: 'file_source', inputs: [], config: { path: 'data/lots/*/assays.csv', format: 'csv' } },
    { id: 'l', name: 'raw_lake', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'raw/bio/', glob: 'batch_id=*/*.parquet', format: 'parquet' } },
    { id: 'm', name: 'raw_mes', kind: 'file_source', inputs: [], config: { path: 'data/mes.csv', format: 'csv' } },
    { id: 'q', name: 'joined', kind: 'sql', inputs: ['a', 'm'], config: { sql: ['select * from raw_assays join raw_mes using (batch_id)'] } },
    { id: 'f', name: 'out_file', kind: 'file_sink', inputs: ['q'], config: { path: 'data/curated/release.parquet', format: 'parquet' } },
    { id: 'k', name: 'out_lake', kind: 'lake_sink', inputs: ['q'], config: { connection: 'lake', path: 'curated/release', format: 'parquet' } },
    { id: 'p', name: 'out_pg', kind: 'postgres_sink', inputs: ['q'], config: { connection: 'mart', table: 'release', mode: 'replace_partition' } },
  ],
  layout: {},
  partitions: { key: 'batch_id', sources: { a: { path: 'data/lots/{batch_id}/assays.csv' }, l: { hive: true }, m: { column: 'batch_id' } } },
  ...extra,
});

describe('lot values and shards', () => {
  it('accepts path-safe values only', () => {
    expect(['B0042', 'lot.7', 'A-1_b'].every(isLotKey)).toBe(true);
    expect(['', '../x', 'a/b', 'a..b', '.hidden', 'x y', 'a'.repeat(129)].some(isLotKey)).toBe(false);
  });

  it('assigns a lot to the same shard whatever else exists, and spreads lots over the shards', () => {
    // FNV-1a of "B0042" is fixed: a worker on another machine or release computes the same.
    expect(shardOf('B0042', 4)).toBe(shardOf('B0042', 4));
    expect(shardOf('', 1)).toBe(0);
    expect(shardOf('a', 2 ** 32)).toBe(0xe40c292c);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 2000; i++) counts[shardOf(`B${String(i).padStart(4, '0')}`, 4)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(400);
    expect(counts.reduce((a, b) => a + b)).toBe(2000);
  });

  it('parses I/N with 0 <= I < N', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard(' 3/4 ')).toEqual({ index: 3, count: 4 });
    for (const bad of ['4/4', '1/0', '-1/4', 'a/b', '1', '1/4/2']) expect(parseShard(bad)).toBeNull();
  });
});

describe('the pipeline one lot runs', () => {
  it('restricts split sources to the lot, filters a column-split source, and writes sinks into a key=value folder', () => {
    const lot = pipelineForLot(base(), base().partitions!, 'B0042');
    const byName = new Map(lot.nodes.map((n) => [n.name, n]));
    expect(byName.get('raw_assays')!.config.path).toBe('data/lots/B0042/assays.csv');
    expect(byName.get('raw_lake')!.config.glob).toBe('batch_id=B0042/*.parquet');
    // The unsplit source keeps reading the whole file under another name; its old name is the lot's rows.
    expect(byName.get('raw_mes__all_lots')!.config.path).toBe('data/mes.csv');
    expect(byName.get('raw_mes')!.kind).toBe('sql');
    expect(byName.get('raw_mes')!.id).toBe('m');
    expect(String(byName.get('raw_mes')!.config.sql)).toContain(`getvariable('batch_id')`);
    expect(byName.get('out_file')!.config.path).toBe('data/curated/batch_id=B0042/release.parquet');
    expect(byName.get('out_lake')!.config.path).toBe('curated/release/batch_id=B0042');
    expect(lot.params.batch_id).toEqual({ type: 'string', default: 'B0042' });
    expect(lot.partitions).toBeUndefined();
    // The lot's document is a valid pipeline: its schema, and every input names a node of it.
    expect(pipelineV1.safeParse(lot).success).toBe(true);
    const ids = new Set(lot.nodes.map((n) => n.id));
    expect(ids.size).toBe(lot.nodes.length);
    expect(lot.nodes.flatMap((n) => n.inputs).every((i) => ids.has(i))).toBe(true);
  });

  it('places lake globs and sink paths below the lot folder', () => {
    expect(lotGlob('**/*.csv', 'k', 'v')).toBe('k=v/**/*.csv');
    expect(lotGlob('k=*/x.csv', 'k', 'v')).toBe('k=v/x.csv');
    expect(lotSinkPath('out.csv', 'k', 'v')).toBe('k=v/out.csv');
    expect(lotSinkPath('data/curated/folder/', 'k', 'v')).toBe('data/curated/k=v/folder');
    expect(lotPath('data/{k}/x-{k}.csv', 'k', 'v')).toBe('data/v/x-v.csv');
  });
});

describe('the partitions declaration in the file', () => {
  it('round-trips through canonical JSON, doc deltas and the semantic diff', () => {
    const p = parsePipeline(JSON.stringify(base())).pipeline;
    const text = serializePipeline(p);
    expect(text.indexOf('"partitions"')).toBeGreaterThan(text.indexOf('"params"'));
    expect(text.indexOf('"partitions"')).toBeLessThan(text.indexOf('"nodes"'));
    expect(serializePipeline(parsePipeline(text).pipeline)).toBe(text);
    const changed: Pipeline = { ...p, partitions: { key: 'batch_id', sources: { a: { path: 'data/lots/{batch_id}/*.csv' }, l: { hive: true } } } };
    const delta = diffDocs(p, changed)!;
    expect(delta.set?.partitions).toEqual(changed.partitions);
    expect(applyDelta(p, delta).partitions).toEqual(changed.partitions);
    const removed = diffDocs(p, { ...p, partitions: undefined })!;
    expect(applyDelta(p, removed).partitions).toBeUndefined();
    const diff = diffPipelines(p, changed);
    expect(diff.identical).toBe(false);
    expect(diff.pipeline.map((c) => c.path)).toContain('partitions.sources.a.path');
  });

  it('names what makes a declaration unusable', () => {
    const msgs = (p: Pipeline) => partitionIssues(p).map((i) => `${i.path}: ${i.message}`);
    expect(msgs(base())).toEqual([]);
    expect(msgs(base({ params: { batch_id: { type: 'string' } } }))[0]).toContain('also a parameter');
    expect(msgs(base({ partitions: { key: 'batch_id', sources: { a: { path: 'data/lots/*/assays.csv' } } } }))[0]).toContain('must hold {batch_id}');
    expect(msgs(base({ partitions: { key: 'batch_id', sources: { q: { column: 'x' } } } }))[0]).toContain('not a source');
    expect(msgs(base({ partitions: { key: 'batch_id', sources: { m: { column: 'batch_id' } } } }))[0]).toContain('at least one source must show its lots');
    expect(msgs(base({ partitions: { key: 'batch_id', sources: { m: { hive: true }, a: { path: 'data/{batch_id}/x.csv' } } } }))[0]).toContain('hive folders are for lake_source');
    for (const outside of ['../{batch_id}/x.csv', '/etc/{batch_id}/x', 'C:/{batch_id}/x', 'data/../../{batch_id}']) {
      expect(msgs(base({ partitions: { key: 'batch_id', sources: { a: { path: outside } } } }))[0]).toContain('inside the workspace');
    }
    const replace = base();
    replace.nodes[6]!.config.mode = 'replace';
    expect(msgs(replace)[0]).toMatch(/^nodes\[6\]\.config\.mode: .*replace_partition/);
    expect(msgs(base({ partitions: undefined }))[0]).toContain('needs a partitioned pipeline');
    // One lot's run would move an incremental source on for the lots after it.
    const onlyNew = base();
    onlyNew.nodes[1]!.config.only_new = true;
    expect(msgs(onlyNew)).toEqual([expect.stringMatching(/^nodes\[1\]\.config\.only_new: node "raw_lake": only_new cannot be combined with partitions/)]);
    const watermark = base();
    watermark.nodes.push({ id: 'h', name: 'api', kind: 'http_source', inputs: [], config: { url: 'https://example.org/entries.json', watermark: { field: 'date', param: 'since' } } });
    expect(msgs(watermark)).toEqual([expect.stringMatching(/^nodes\[7\]\.config\.watermark: node "api": a watermark cannot be combined with partitions/)]);
    // The parser reports them as any other file problem.
    expect(() => parsePipeline(JSON.stringify(base({ params: { batch_id: { type: 'string' } } })))).toThrow(/also a parameter/);
  });
});
