import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipelineFile } from '../../support/engine';
import { stagingPath } from '../../../src-main/engine/storage/atomic-publish';
import { tempDir } from '../../support/temp-dir';

function setup() {
  const dir = tempDir();
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data/a.csv'), 'site,v\nA,1\nB,2\n');
  const file = join(dir, 'p.weir.json');
  const nodes = [
    { id: 'raw', name: 'raw', kind: 'file_source', inputs: [], config: { path: 'data/a.csv', format: 'csv' } },
    // a view: a negative v fails the sink's COPY, after the sink has started
    { id: 'calc', name: 'calc', kind: 'sql', inputs: ['raw'], config: { sql: ["select site, case when v < 0 then error('negative v') else v end as v from raw"] } },
    { id: 'out', name: 'out', kind: 'file_sink', inputs: ['calc'], config: { path: 'out/by_site', format: 'csv', partition_by: ['site'] } },
  ];
  writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes, layout: {} }));
  return { dir, file, target: join(dir, 'out/by_site') };
}

const valueOf = (target: string, site: string) => readFileSync(join(target, `site=${site}`, 'data_0.csv'), 'utf8');

/** What a run killed between the two renames of a folder publish leaves: no target, the old folder aside. */
function killInTheGap(target: string, runId: string): void {
  const staged = stagingPath(target, runId);
  mkdirSync(join(staged, 'site=Z'), { recursive: true });
  writeFileSync(join(staged, 'site=Z', 'data_0.csv'), 'v\n99\n');
  renameSync(target, `${staged}.old`);
}

describe('a partitioned file_sink killed between its two renames', () => {
  it('gets its previous output back when the sink runs again, even if that run fails', async () => {
    const { dir, file, target } = setup();
    expect((await runPipelineFile({ file })).status).toBe('succeeded');
    expect(valueOf(target, 'A')).toBe('v\n1\n');

    killInTheGap(target, '20260101T000000.000Z-aaaaaa');
    expect(existsSync(target)).toBe(false);
    writeFileSync(join(dir, 'data/a.csv'), 'site,v\nA,-1\nB,2\n');
    const failed = await runPipelineFile({ file });
    expect(failed.status).toBe('failed');
    expect(failed.record.nodes.find((n) => n.name === 'out')?.status).toBe('failed');
    // the previous output is back, the killed run's folders are gone
    // The folder's ownership marker, then its partitions.
    expect(readdirSync(target).sort()).toEqual(['.weir-output.json', 'site=A', 'site=B']);
    expect(valueOf(target, 'A')).toBe('v\n1\n');
    expect(readdirSync(join(dir, 'out'))).toEqual(['by_site']);

    // and a normal publish after that works
    writeFileSync(join(dir, 'data/a.csv'), 'site,v\nA,3\nC,4\n');
    expect((await runPipelineFile({ file })).status).toBe('succeeded');
    expect(readdirSync(target).sort()).toEqual(['.weir-output.json', 'site=A', 'site=C']);
    expect(valueOf(target, 'A')).toBe('v\n3\n');
    expect(readdirSync(join(dir, 'out'))).toEqual(['by_site']);
  });

  it('with unchanged inputs, the restored output is the published one, so the sink is a cache hit', async () => {
    const { dir, file, target } = setup();
    await runPipelineFile({ file });
    killInTheGap(target, '20260101T000000.000Z-bbbbbb');
    const again = await runPipelineFile({ file });
    expect(again.record.nodes.find((n) => n.name === 'out')?.cached).toBe(true);
    expect(valueOf(target, 'B')).toBe('v\n2\n');
    expect(readdirSync(join(dir, 'out'))).toEqual(['by_site']);
  });
});
