import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWeir } from '../../support/cli';
import { copyTemplate } from '../../support/templates';

/** What `weir partitions` and `weir run`'s lot options refuse, with exit code 2 and one line (bin/weir.cjs). */
describe('the lot options of the CLI refuse bad input', () => {
  const ws = copyTemplate('cgt-batch-release', { prefix: 'weir-lots-cli-' });
  const lots = join(ws, 'pipelines', 'release_by_lot.weir.json');
  const plain = join(ws, 'pipelines', 'batch_release.weir.json');

  it.each([
    [['partitions', plain], /the pipeline is not partitioned/],
    [['run', lots, '--shard', '4/4'], /--shard expects I\/N with 0 <= I < N/],
    [['run', lots, '--shard', 'x'], /--shard expects I\/N/],
    [['run', lots, '--lot-concurrency', '0'], /--lot-concurrency expects a whole number from 1 to 16, got "0"/],
    [['run', lots, '--lot-concurrency', '17'], /--lot-concurrency expects a whole number from 1 to 16/],
    [['run', lots, '--partition', 'A,B'], /--partition expects one lot value/],
    [['run', lots, '--partitions', 'all', '--partition', 'B1'], /give --partitions or --partition, not both/],
    [['run', lots, '--partition', 'B9999'], /no lot "B9999" in the sources of this pipeline/],
    [['run', lots, '--select', 'batches'], /--select cannot be combined with a partitioned pipeline/],
  ])('weir %j', async (args, message) => {
    const out = await runWeir(args, { cwd: ws });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr.trim().split('\n')[0]).toMatch(/^weir: /);
  });

  it('lists no lot and runs none before any lot folder exists', async () => {
    const listed = await runWeir(['partitions', lots, '--json'], { cwd: ws });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({
      pipeline: lots,
      key: 'batch_id',
      sources: [
        { node: 'raw_batches', kind: 'file_source', split: 'path', fingerprint: 'contents', note: 'each lot reads its own files; a changed file makes its lot changed' },
        { node: 'raw_assays', kind: 'file_source', split: 'path', fingerprint: 'contents', note: 'each lot reads its own files; a changed file makes its lot changed' },
        { node: 'raw_specs', kind: 'file_source', split: 'whole', fingerprint: 'contents', note: 'every lot reads all of it; a changed file makes every lot changed' },
        { node: 'raw_bioreactor', kind: 'file_source', split: 'path', fingerprint: 'contents', note: 'each lot reads its own files; a changed file makes its lot changed' },
      ],
      partitions: [],
    });
    const ran = await runWeir(['run', lots], { cwd: ws });
    expect(ran.code).toBe(0);
    // Not "every lot is up to date": there is none (it said so of a fresh copy of the template).
    expect(ran.stdout).toContain('no lot to run: the sources list no lot by batch_id (');
    expect(ran.stdout).not.toContain('up to date');
  });

  it('says per source what a fingerprint cannot see: a database query is read by every lot but does not make one changed', async () => {
    const doc = JSON.parse(readFileSync(lots, 'utf8')) as { nodes: { id: string; name: string; kind: string; inputs: string[]; config: Record<string, unknown> }[] };
    doc.nodes.push({ id: 'src_mes', name: 'mes_lookup', kind: 'postgres_source', inputs: [], config: { connection: 'mart', table: 'batches' } });
    const file = join(ws, 'pipelines', 'with_db.weir.json');
    writeFileSync(file, JSON.stringify({ ...doc, name: 'with_db' }));
    const human = await runWeir(['partitions', file], { cwd: ws });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('note: postgres_source "mes_lookup" is read again by every lot that runs, but not in the fingerprints: a change in it does not make a lot changed (run --partitions all after one)');
    expect(human.stdout).not.toContain('note: file_source');
    const json = JSON.parse((await runWeir(['partitions', file, '--json'], { cwd: ws })).stdout) as { sources: { node: string; fingerprint: string }[] };
    expect(json.sources.filter((x) => x.fingerprint === 'none').map((x) => x.node)).toEqual(['mes_lookup']);
  });
});
