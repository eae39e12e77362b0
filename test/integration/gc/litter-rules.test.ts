import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRunId } from '../../../src-main/engine/run/run-id';
import { cleanLitter, collectGarbage } from '../../support/engine';
import { hostTag, processTag } from '../../../src-main/engine/storage/owner-tag';
import { runLiveness } from '../../../src-main/engine/gc/live-runs';
import { findWorkspace } from '../../../src-main/engine/workspace/workspace';
import { copyTemplate } from '../../support/templates';
import { tempDir } from '../../support/temp-dir';
import { scratchRootIn } from './support';

/**
 * What counts as litter, and what never does: the rules behind a run's start-up clean-up
 * and `weir gc`, on real folders (a run's marker, staging names, process tags, ages).
 */

const HOUR = 3_600_000;
const MIN = 60_000;

/** A pid that surely belonged to a process that is gone: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function put(path: string, body = 'x', ageMs = 0): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
  if (ageMs) {
    const t = new Date(Date.now() - ageMs);
    utimesSync(path, t, t);
  }
  return path;
}

function age(path: string, ageMs: number): void {
  const t = new Date(Date.now() - ageMs);
  utimesSync(path, t, t);
}

function marker(ws: string, runId: string, m: { host?: string; pid: number; scratchRoot?: string; startedAgoMs?: number }): void {
  put(
    join(ws, '.weir/live', `${runId}.json`),
    JSON.stringify({ runId, host: m.host ?? hostTag(), pid: m.pid, scratchRoot: m.scratchRoot ?? scratchRootIn(tmp), startedAt: new Date(Date.now() - (m.startedAgoMs ?? 0)).toISOString() }),
  );
}

let tmp: string;
let savedTmp: string | undefined;
beforeAll(() => {
  // Scratch and spill folders are looked for under the temp folder: this file's own.
  savedTmp = process.env.TMPDIR;
  tmp = tempDir('weir-gc-rules-tmp-');
  process.env.TMPDIR = tmp;
});
afterAll(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

function workspace(): string {
  const ws = tempDir('weir-gc-rules-');
  mkdirSync(join(ws, 'pipelines'));
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections: { lake: { kind: 'folder', path: 'lake' } } } } }));
  const nodes = [
    { id: 'rows', name: 'rows', kind: 'seed', inputs: [], config: { columns: [{ name: 'v', type: 'INTEGER' }], rows: [[1]] } },
    { id: 'a', name: 'a', kind: 'file_sink', inputs: ['rows'], config: { path: 'out/a.csv', format: 'csv' } },
    { id: 'parts', name: 'parts', kind: 'file_sink', inputs: ['rows'], config: { path: 'out/parts', format: 'parquet', partition_by: ['v'] } },
    { id: 'parts2', name: 'parts2', kind: 'file_sink', inputs: ['rows'], config: { path: 'out/parts2', format: 'parquet', partition_by: ['v'] } },
    { id: 'lk', name: 'lk', kind: 'lake_sink', inputs: ['rows'], config: { connection: 'lake', path: 'tables/t', format: 'parquet' } },
  ];
  writeFileSync(join(ws, 'pipelines', 'p.weir.json'), JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'p', nodes }));
  return ws;
}

describe("file-sink staging: a dead run's goes, a live or unknown run's stays", () => {
  it('decides by the run marker: same host by its process and scratch folder, another host and no marker by age', async () => {
    const ws = workspace();
    const out = join(ws, 'out');
    const dead = deadPid();
    const runs = {
      killed: newRunId(), // this host, its process gone
      live: newRunId(), // this host, its process (this test) alive, its scratch folder there
      ended: newRunId(new Date(Date.now() - 5 * MIN)), // this host, its process alive (a desktop), its session over
      starting: newRunId(), // this host, alive, marker just written, no scratch folder yet
      otherHost: newRunId(),
      otherHostOld: newRunId(new Date(Date.now() - 25 * HOUR)),
      unmarked: newRunId(),
      unmarkedOld: newRunId(new Date(Date.now() - 25 * HOUR)),
    };
    marker(ws, runs.killed, { pid: dead });
    marker(ws, runs.live, { pid: process.pid });
    mkdirSync(join(scratchRootIn(tmp), `${runs.live}-${processTag()}-abcdef`), { recursive: true });
    marker(ws, runs.ended, { pid: process.pid, startedAgoMs: 5 * MIN });
    marker(ws, runs.starting, { pid: process.pid });
    marker(ws, runs.otherHost, { host: 'ffffffff', pid: dead });
    marker(ws, runs.otherHostOld, { host: 'ffffffff', pid: dead, startedAgoMs: 25 * HOUR });
    for (const [name, id] of Object.entries(runs)) {
      put(join(out, `.a.csv.weir-${id}.tmp`), name);
      put(join(out, `.parts.weir-${id}.tmp`, 'v=1', 'data_0.parquet'), name);
    }
    // A folder no sink writes into is never looked at, whatever it holds.
    const elsewhere = put(join(ws, 'other', `.a.csv.weir-${runs.killed}.tmp`));

    const report = await cleanLitter(findWorkspace(ws), newRunId());
    const left = readdirSync(out).sort();
    const expectKept = ['live', 'starting', 'otherHost', 'unmarked'] as const;
    const expectGone = ['killed', 'ended', 'otherHostOld', 'unmarkedOld'] as const;
    for (const k of expectKept) expect(left, k).toEqual(expect.arrayContaining([`.a.csv.weir-${runs[k]}.tmp`, `.parts.weir-${runs[k]}.tmp`]));
    for (const k of expectGone) expect(left.filter((n) => n.includes(runs[k])), k).toEqual([]);
    expect(existsSync(elsewhere)).toBe(true);
    expect(report.items.filter((i) => i.kind === 'file-staging').map((i) => i.runId).sort()).toEqual(expectGone.flatMap((k) => [runs[k], runs[k]]).sort());
    expect(report.items.find((i) => i.what.endsWith(`.parts.weir-${runs.killed}.tmp`))?.bytes).toBe('killed'.length);
  });

  it('a set-aside folder whose target is missing is put back, not deleted; one whose target exists is removed', async () => {
    const ws = workspace();
    const out = join(ws, 'out');
    const killed = newRunId();
    marker(ws, killed, { pid: deadPid() });
    // Killed between the two renames of a swap: no target, the previous output aside, the new one staged.
    put(join(out, `.parts.weir-${killed}.tmp.old`, 'v=1', 'data_0.parquet'), 'previous');
    put(join(out, `.parts.weir-${killed}.tmp`, 'v=1', 'data_0.parquet'), 'unpublished');
    // Killed after the swap, before removing the old folder: the target is the new output.
    put(join(out, 'parts2', 'v=1', 'data_0.parquet'), 'published');
    put(join(out, `.parts2.weir-${killed}.tmp.old`, 'v=1', 'data_0.parquet'), 'replaced');

    const dry = await collectGarbage(findWorkspace(ws), { dryRun: true });
    expect(dry.items.map((i) => [i.kind, i.action, i.what.slice(out.length + 1)])).toEqual(
      expect.arrayContaining([
        ['swap-aside', 'restore', `.parts.weir-${killed}.tmp.old`],
        ['swap-aside', 'remove', `.parts2.weir-${killed}.tmp.old`],
      ]),
    );
    expect(existsSync(join(out, 'parts'))).toBe(false); // a dry run changes nothing

    const report = await cleanLitter(findWorkspace(ws), newRunId());
    expect(readFileSync(join(out, 'parts', 'v=1', 'data_0.parquet'), 'utf8')).toBe('previous');
    expect(readFileSync(join(out, 'parts2', 'v=1', 'data_0.parquet'), 'utf8')).toBe('published');
    expect(readdirSync(out).sort()).toEqual(['parts', 'parts2']);
    expect(report.items.find((i) => i.action === 'restore')).toMatchObject({ restoreTo: join(out, 'parts') });
  });
});

describe('temporary files and folders, by the process their name carries', () => {
  it('cache temps, scratch and spill folders of dead processes go; live ones and young untagged ones stay', async () => {
    const ws = workspace();
    const dead = deadPid();
    const deadTag = processTag(dead);
    const nodes = join(ws, '.weir/cache/nodes');
    const key = 'a'.repeat(64);
    const t = {
      deadTemp: put(join(nodes, `${key}.parquet.${deadTag}-0a0b0c0d.tmp`)),
      deadMeta: put(join(nodes, `${key}.json.${deadTag}-0a0b0c0e.tmp`)),
      liveTemp: put(join(nodes, `${key}.parquet.${processTag()}-0a0b0c0f.tmp`)),
      otherHostTemp: put(join(nodes, `${key}.parquet.wffffffff-${dead}-01020304.tmp`)),
      otherHostOldTemp: put(join(nodes, `${key}.parquet.wffffffff-${dead}-01020305.tmp`), 'x', 25 * HOUR),
      legacyTemp: put(join(nodes, `${key}.parquet.0123456789ab.tmp`)),
      legacyOldTemp: put(join(nodes, `${key}.parquet.0123456789ac.tmp`), 'x', 2 * HOUR),
      oldDownload: put(join(ws, '.weir/cache/objects/ab', `${'b'.repeat(64)}.csv.${dead}.k3j4.part`), 'x', 2 * HOUR),
      freshDownload: put(join(ws, '.weir/cache/objects/ab', `${'b'.repeat(64)}.csv.${dead}.k3j5.part`)),
    };
    const scratch = scratchRootIn(tmp);
    const s = {
      deadRun: join(scratch, `${newRunId()}-${deadTag}-abcdef`),
      deadPreview: join(scratch, `preview-${deadTag}-abcdeg`),
      livePreview: join(scratch, `preview-${processTag()}-abcdeh`),
      legacy: join(scratch, `${newRunId()}-abcdei`),
      legacyOld: join(scratch, `${newRunId(new Date(Date.now() - 30 * HOUR))}-abcdej`),
    };
    for (const d of Object.values(s)) put(join(d, 'data_0.parquet'), 'scratch');
    age(s.legacyOld, 25 * HOUR);
    const spillDead = join(tmp, `weir-duckdb-${dead}`);
    const spillLive = join(tmp, `weir-duckdb-${process.pid}`);
    put(join(spillDead, 'duckdb_temp_block-1.block'));
    put(join(spillLive, 'duckdb_temp_block-1.block'));

    const report = await cleanLitter(findWorkspace(ws), newRunId());
    const gone = (p: string) => !existsSync(p);
    expect(Object.fromEntries(Object.entries(t).map(([k, p]) => [k, gone(p)]))).toEqual({
      deadTemp: true,
      deadMeta: true,
      liveTemp: false,
      otherHostTemp: false,
      otherHostOldTemp: true,
      legacyTemp: false,
      legacyOldTemp: true,
      oldDownload: true,
      freshDownload: false,
    });
    expect(Object.fromEntries(Object.entries(s).map(([k, p]) => [k, gone(p)]))).toEqual({ deadRun: true, deadPreview: true, livePreview: false, legacy: false, legacyOld: true });
    expect([gone(spillDead), gone(spillLive)]).toEqual([true, false]);
    expect(report.items.find((i) => i.what === s.deadRun)).toMatchObject({ kind: 'scratch', bytes: 'scratch'.length, action: 'remove' });
  });

  it('a real session names its scratch folder by its run and process', async () => {
    const ws = copyTemplate('cgt-batch-release');
    const { runPipelineFile } = await import('../../support/engine');
    const seen: string[] = [];
    const markers: string[] = [];
    const out = await runPipelineFile({
      file: join(ws, 'pipelines/batch_release.weir.json'),
      recordDir: null,
      onEvent: (e) => {
        if (e.type === 'node_started' && !seen.length) {
          seen.push(...readdirSync(scratchRootIn(tmp)));
          markers.push(readFileSync(join(ws, '.weir/live', `${e.runId}.json`), 'utf8'));
        }
      },
    });
    expect(out.status).toBe('succeeded');
    expect(seen.filter((n) => n.startsWith(`${out.runId}-${processTag()}-`) && n.length === `${out.runId}-${processTag()}-`.length + 6)).toHaveLength(1);
    // Gone with the session. While it ran, the run's marker said where it ran; the run removed it as it ended.
    expect(readdirSync(scratchRootIn(tmp)).filter((n) => n.startsWith(out.runId))).toEqual([]);
    const m = JSON.parse(markers[0]!) as { pid: number; host: string; scratchRoot: string };
    expect(m).toMatchObject({ pid: process.pid, host: hostTag(), scratchRoot: scratchRootIn(tmp) });
    expect(existsSync(join(ws, '.weir/live', `${out.runId}.json`))).toBe(false);
  });
});

describe('run markers', () => {
  it("are removed once their run is over and older than the lake's grace period, so that gc can still tell it died", async () => {
    const ws = workspace();
    const dead = deadPid();
    const recent = newRunId(new Date(Date.now() - 10 * MIN));
    const old = newRunId(new Date(Date.now() - 2 * HOUR));
    const otherHost = newRunId(new Date(Date.now() - 2 * HOUR));
    marker(ws, recent, { pid: dead });
    marker(ws, old, { pid: dead });
    marker(ws, otherHost, { host: 'ffffffff', pid: dead });
    put(join(ws, '.weir/live', `${newRunId(new Date(Date.now() - 30 * HOUR))}.json`), '{"runId": "half wr');
    const current = newRunId();
    await cleanLitter(findWorkspace(ws), current);
    expect(readdirSync(join(ws, '.weir/live')).sort()).toEqual([recent, otherHost, current].sort().map((r) => `${r}.json`));
  });
});

describe('weir gc on a folder lake', () => {
  it("removes a dead run's objects at once, others' after the grace period, and lists without removing in a dry run", async () => {
    const ws = workspace();
    const lake = join(ws, 'lake', 'tables', 't');
    const killed = newRunId();
    marker(ws, killed, { pid: deadPid() });
    const unknownFresh = newRunId();
    const unknownOld = newRunId(new Date(Date.now() - 2 * HOUR));
    const a = put(join(lake, '_runs', killed, 'data_0.parquet'), 'killed!');
    const b = put(join(lake, '_runs', unknownFresh, 'data_0.parquet'), 'fresh');
    const c = put(join(lake, '_runs', unknownOld, 'data_0.parquet'), 'old', 2 * HOUR);

    const dry = await collectGarbage(findWorkspace(ws), { dryRun: true });
    const lakeItems = dry.items.filter((i) => i.kind === 'lake-objects');
    expect(lakeItems.map((i) => [i.runId, i.bytes]).sort()).toEqual(
      [
        [killed, 7],
        [unknownOld, 3],
      ].sort(),
    );
    expect([a, b, c].every(existsSync)).toBe(true);

    const done = await collectGarbage(findWorkspace(ws));
    expect([existsSync(a), existsSync(b), existsSync(c)]).toEqual([false, true, false]);
    expect(done.notes).toEqual([]);
  });
});
