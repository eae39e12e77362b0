import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipelineFile } from '../../support/engine';
import { treeHashes } from '../../support/find-files';
import { tempDir } from '../../support/temp-dir';

const ROWS = 2_500_000;
const SITES = 36;
const LOTS = 5;

/**
 * Big enough for DuckDB to spread every COPY over its threads: before the per-folder writer,
 * three identical runs gave three different partitioned trees, and an `order_by` with ties gave
 * different bytes even for a single file.
 */
function setup() {
  const root = tempDir();
  writeFileSync(
    join(root, 'weir.workspace.json'),
    JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections: { lake: { kind: 'folder', path: 'lake' } } } } }),
  );
  mkdirSync(join(root, 'lake'));
  const nodes = [
    {
      id: 'gen',
      name: 'gen',
      kind: 'sql',
      inputs: [],
      config: {
        sql: [
          `select i as id, 'site_' || (i * 7919 % ${SITES}) as site, (i * 31) % 1000 as v, md5(i::varchar) as s, (i % ${LOTS})::int as lot`,
          `from range(${ROWS}) as t(i)`,
        ],
      },
    },
    // order_by with many ties (1000 values of v over 2.5 M rows): the tie-break decides the bytes
    { id: 'by_site', name: 'by_site', kind: 'file_sink', inputs: ['gen'], config: { path: 'out/by_site', format: 'parquet', partition_by: ['site'], order_by: ['v'] } },
    { id: 'flat', name: 'flat', kind: 'file_sink', inputs: ['gen'], config: { path: 'out/flat.parquet', format: 'parquet', order_by: ['lot'] } },
    { id: 'lake_out', name: 'lake_out', kind: 'lake_sink', inputs: ['gen'], config: { connection: 'lake', path: 'curated/by_lot', format: 'csv', partition_by: ['lot', 'site'] } },
  ];
  const file = join(root, 'p.weir.json');
  writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes, layout: {} }));
  return { root, file };
}

const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

interface Manifest {
  files: { key: string; sha256?: string; size: number }[];
}

describe('partitioned and plain sinks write the same bytes run after run', () => {
  it('three runs over the same 2.5 M rows give identical trees, files and lake objects', { timeout: 600_000 }, async () => {
    const { root, file } = setup();
    const runs: { tree: Record<string, string>; flat: string; lakeHash: string | null | undefined; lakeObjects: string[] }[] = [];
    for (let k = 0; k < 3; k++) {
      const out = await runPipelineFile({ file, useCache: false, recordDir: null });
      expect(out.error?.message ?? null).toBeNull();
      expect(out.status).toBe('succeeded');
      const manifest = JSON.parse(readFileSync(join(root, 'lake/curated/by_lot/_manifest.json'), 'utf8')) as Manifest;
      runs.push({
        tree: treeHashes(join(root, 'out/by_site')),
        flat: sha(readFileSync(join(root, 'out/flat.parquet'))),
        lakeHash: out.record.nodes.find((n) => n.name === 'lake_out')?.outputHash,
        // The objects' paths name the run; what must not change is the file under it and its bytes.
        lakeObjects: manifest.files.map((f) => `${f.key.replace(/_runs\/[^/]+\//, '_runs/<run>/')} ${f.sha256} ${f.size}`).sort(),
      });
    }
    const [first] = runs;
    // one file per folder, every folder there
    const dataFiles = Object.keys(first!.tree).filter((p) => p.endsWith('.parquet'));
    expect(dataFiles).toHaveLength(SITES);
    expect(dataFiles.every((p) => /^site=site_\d+\/data_0\.parquet$/.test(p))).toBe(true);
    expect(readdirSync(join(root, 'out/by_site')).filter((d) => d.startsWith('site='))).toHaveLength(SITES);
    expect(first!.lakeObjects).toHaveLength(LOTS * SITES);
    expect(first!.lakeObjects[0]).toMatch(/_runs\/<run>\/lot=0\/site=site_0\/data_0\.csv [0-9a-f]{64} \d+$/);
    expect(first!.lakeHash).toMatch(/^[0-9a-f]{64}$/);
    for (const r of runs.slice(1)) {
      expect(r.tree).toEqual(first!.tree);
      expect(r.flat).toBe(first!.flat);
      expect(r.lakeHash).toBe(first!.lakeHash);
      expect(r.lakeObjects).toEqual(first!.lakeObjects);
    }
  });
});
