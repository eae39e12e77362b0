import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../support/http-server';
import { nightscoutEntries, startNightscout, type NightscoutServer } from '../../support/nightscout-server';
import { parsePipeline } from '../../../shared/pipeline/parse';
import { previewNode, runPipelineFile } from '../../support/engine';
import { lookup, nightscoutWorkspace, runFile, SECRET, writePipeline } from './support';

const PARAM = 'find[dateString][$gte]';

/** The kept state files of a workspace (one per environment, pipeline file and node). */
function keptStates(ws: string): { file: string; value: unknown }[] {
  const root = join(ws, '.weir', 'state');
  if (!existsSync(root)) return [];
  const out: { file: string; value: unknown }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) out.push({ file: p, value: (JSON.parse(readFileSync(p, 'utf8')) as { value: unknown }).value });
    }
  };
  walk(root);
  return out;
}

/**
 * An http source with a watermark against a Nightscout-like API on loopback: each run asks
 * for `find[dateString][$gte]=<largest dateString the last successful run read>`, and a run
 * that fails after reading keeps the previous value.
 */
describe('http source watermark', () => {
  let api: NightscoutServer;
  let ws: string;
  // Two days of readings; more arrive between runs.
  const all = nightscoutEntries(3 * 288 * 3);
  const source = {
    url: 'entries.json',
    watermark: { field: 'dateString', param: PARAM, initial: all[0]!.dateString },
    pagination: { type: 'keyset', field: 'date', param: 'find[date][$lte]', operator: 'lte', key: ['_id'], size_param: 'count', size: 500 },
  };
  // A step after the source that fails when asked to: the source has read its records by then.
  const more = [{ id: 'gate', name: 'gated', kind: 'sql', inputs: ['src'], config: { sql: ["SELECT * FROM entries WHERE CASE WHEN getvariable('fail') = 'yes' THEN error('failing on purpose') ELSE true END"] } }];
  const params = { fail: { type: 'string', default: 'no' } };
  const sent = () => [...new Set(api.seen.map((r) => r.url.searchParams.get(PARAM)))];

  beforeAll(async () => {
    api = await startNightscout({ secret: SECRET, entries: all.slice(0, 3 * 288) });
    ws = nightscoutWorkspace(api.base, 'weir-watermark-');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('sends the initial value first, then the largest value the last successful run read', async () => {
    const file = writePipeline(ws, 'cgm', { source, more, params });
    api.reset();
    const first = await runFile(ws, file);
    expect(first.out.error?.message ?? null).toBeNull();
    expect(first.lines.length - 1).toBe(3 * 288);
    expect(sent()).toEqual([all[0]!.dateString]);
    const kept = keptStates(ws);
    expect(kept).toHaveLength(1);
    const day1Max = all[3 * 288 - 1]!.dateString;
    expect(kept[0]!.value).toMatchObject({ value: day1Max });

    // A day more arrives.
    api.entries.push(...all.slice(3 * 288, 2 * 3 * 288));
    api.reset();
    const second = await runFile(ws, file);
    expect(second.out.error?.message ?? null).toBeNull();
    expect(sent()).toEqual([day1Max]);
    // At least once: the three readings at the boundary instant come again, and every new one.
    const expected = api.entries.filter((e) => e.dateString >= day1Max);
    expect(expected).toHaveLength(3 * 288 + 3);
    expect(second.lines.length - 1).toBe(expected.length);
    expect(second.lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(expected.map((e) => e._id).sort());
    // The run record shows the cursor it sent, in the pages it read.
    const node = second.out.record.nodes.find((n) => n.name === 'entries')!;
    expect(node.inputs!.every((i) => new URL(i.uri).searchParams.get(PARAM) === day1Max)).toBe(true);
    expect(keptStates(ws)[0]!.value).toMatchObject({ value: all[2 * 3 * 288 - 1]!.dateString });
  });

  it('keeps the previous value after a run that failed, and the next run asks from it again', async () => {
    const file = writePipeline(ws, 'cgm', { source, more, params });
    const before = keptStates(ws);
    const day2Max = all[2 * 3 * 288 - 1]!.dateString;
    expect(before[0]!.value).toMatchObject({ value: day2Max });
    const bytes = readFileSync(before[0]!.file, 'utf8');

    api.entries.push(...all.slice(2 * 3 * 288));
    api.reset();
    const failed = await runFile(ws, file, { params: { fail: 'yes' } });
    expect(failed.out.status).toBe('failed');
    expect(failed.out.error?.message).toContain('failing on purpose');
    // The source read the third day, and its value was not kept.
    expect(sent()).toEqual([day2Max]);
    expect(readFileSync(before[0]!.file, 'utf8')).toBe(bytes);

    api.reset();
    const again = await runFile(ws, file);
    expect(again.out.error?.message ?? null).toBeNull();
    expect(sent()).toEqual([day2Max]);
    expect(again.lines.length - 1).toBe(3 * 288 + 3);
    expect(keptStates(ws)[0]!.value).toMatchObject({ value: all.at(-1)!.dateString });

    // A preview asks from the kept value, as the next run would, and keeps nothing.
    const kept = readFileSync(before[0]!.file, 'utf8');
    api.reset();
    const { pipeline } = parsePipeline(readFileSync(file, 'utf8'), file);
    const preview = await previewNode({ pipeline, file, nodeId: 'src', secrets: lookup, limit: 5, useCache: false });
    expect(preview.rows.length).toBeGreaterThan(0);
    expect(sent()).toEqual([all.at(-1)!.dateString]);
    expect(readFileSync(before[0]!.file, 'utf8')).toBe(kept);
  });

  it('keeps the previous value after a run cancelled once the source had read', async () => {
    const file = writePipeline(ws, 'cgm', { source, more, params });
    const before = keptStates(ws).map((k) => readFileSync(k.file, 'utf8'));
    api.entries.push({ ...all.at(-1)!, _id: 'e-cancel', date: all.at(-1)!.date + 60_000, dateString: new Date(all.at(-1)!.date + 60_000).toISOString() });
    const stop = new AbortController();
    const out = await runPipelineFile({
      file,
      secrets: lookup,
      useCache: false,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'node_finished' && e.name === 'entries') stop.abort();
      },
    });
    expect(out.status).toBe('cancelled');
    expect(out.record.nodes.find((n) => n.name === 'entries')!.status).toBe('done');
    expect(keptStates(ws).map((k) => readFileSync(k.file, 'utf8'))).toEqual(before);
    api.entries.pop();
  });

  it('keeps a value per environment, and starts again when the field or parameter changes', async () => {
    const file = writePipeline(ws, 'cgm', { source, more, params });
    api.reset();
    const prod = await runFile(ws, file, { environment: 'prod' });
    expect(prod.out.error?.message ?? null).toBeNull();
    // Nothing kept for prod yet: from the initial value, while dev's value stays.
    expect(sent()).toEqual([all[0]!.dateString]);
    expect(keptStates(ws)).toHaveLength(2);

    const byDate = writePipeline(ws, 'cgm', { source: { ...source, watermark: { field: 'date', param: 'find[date][$gte]' } }, more, params });
    api.reset();
    const changed = await runFile(ws, byDate);
    expect(changed.out.error?.message ?? null).toBeNull();
    // Another field: the dev value kept for dateString is not sent; no initial, so no parameter.
    expect([...new Set(api.seen.map((r) => r.url.searchParams.get('find[date][$gte]')))]).toEqual([null]);
    expect(sent()).toEqual([null]);
    expect(keptStates(ws).map((k) => (k.value as { value: unknown }).value)).toContain(all.at(-1)!.date);
  });

  it('keeps nothing from a run without a record (--no-record)', async () => {
    const file = writePipeline(ws, 'cgm', { source, more, params });
    const before = keptStates(ws).map((k) => readFileSync(k.file, 'utf8'));
    const out = await runPipelineFile({ file, secrets: lookup, useCache: false, recordDir: null });
    expect(out.error?.message ?? null).toBeNull();
    expect(keptStates(ws).map((k) => readFileSync(k.file, 'utf8'))).toEqual(before);
  });

  it('keeps no value taken from records that hold a secret', async () => {
    // An API that echoes the credential it was sent (here the SHA-1 of the secret) in its records.
    const hash = createHash('sha1').update(SECRET).digest('hex');
    const echo = await startHttpServer((req) => ({ body: [{ _id: 'a', at: req.headers['api-secret'] }] }));
    try {
      const echoWs = nightscoutWorkspace(echo.url, 'weir-watermark-echo-');
      const file = writePipeline(echoWs, 'echo', { source: { url: 'entries.json', watermark: { field: 'at', param: 'since' } } });
      const { out, warnings } = await runFile(echoWs, file);
      expect(out.error?.message ?? null).toBeNull();
      expect(echo.seen[0]!.headers['api-secret']).toBe(hash);
      expect(warnings.some((w) => w.includes('the watermark was not kept'))).toBe(true);
      expect(keptStates(echoWs)).toEqual([]);
    } finally {
      await echo.close();
    }
  });

  it('keeps nothing from a run of part of the pipeline (--select)', async () => {
    const file = writePipeline(ws, 'cgm', { source, more, params });
    const before = keptStates(ws).map((k) => readFileSync(k.file, 'utf8'));
    api.entries.push({ ...all.at(-1)!, _id: 'late', date: all.at(-1)!.date + 300_000, dateString: new Date(all.at(-1)!.date + 300_000).toISOString() });
    const out = await runPipelineFile({ file, secrets: lookup, useCache: false, select: 'entries' });
    expect(out.error?.message ?? null).toBeNull();
    expect(keptStates(ws).map((k) => readFileSync(k.file, 'utf8'))).toEqual(before);
  });
});
