import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICES, nightscoutEntries, startNightscout, T0, type NightscoutServer } from '../../support/nightscout-server';
import { nightscoutWorkspace, runFile, SECRET, writePipeline } from './support';

/** The devices to ask for: a duplicate and a null, which ask nothing more. */
const devicesSeed = (rows: (string | null)[][]) => ({
  id: 'dev',
  name: 'devices',
  kind: 'seed',
  inputs: [],
  config: { columns: [{ name: 'device', type: 'VARCHAR' }], rows },
});

const perDevice = (extra: Record<string, unknown> = {}) => ({
  url: 'entries.json',
  query: { 'find[device]': '{{ input.device }}' },
  for_each: { column: 'device', as: 'asked_for', max_parallel: 2, ...extra },
  pagination: { type: 'keyset', field: 'date', param: 'find[date][$lte]', operator: 'lte', key: ['_id'], size_param: 'count', size: 100 },
});

describe('dependent endpoints: one request per value of an input column', () => {
  let api: NightscoutServer;
  let ws: string;

  beforeAll(async () => {
    // Held a little, so that requests in flight at once can be counted.
    api = await startNightscout({ secret: SECRET, entries: nightscoutEntries(900), delayMs: 15 });
    ws = nightscoutWorkspace(api.base, 'weir-dependent-');
  });
  afterAll(async () => {
    await api?.close();
  });

  const rows = (lines: string[]) => {
    const head = lines[0]!.split(',');
    return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i]!, v])));
  };

  it('asks each distinct value once, in parallel within the limit, and adds it as a column', async () => {
    const file = writePipeline(ws, 'per_device', {
      before: [devicesSeed([['xdrip-b'], ['dexcom-g7'], ['xdrip-a'], ['xdrip-b'], [null]])],
      sourceInputs: ['dev'],
      source: perDevice(),
      orderBy: ['_id'],
    });
    api.reset();
    const { out, lines } = await runFile(ws, file);
    expect(out.error?.message ?? null).toBeNull();
    const got = rows(lines);
    expect(got).toHaveLength(900);
    for (const d of DEVICES) {
      const mine = got.filter((r) => r.asked_for === d);
      expect(mine).toHaveLength(300);
      expect(mine.every((r) => r.device === d)).toBe(true);
    }
    // Each value's own pages: three full ones, then the boundary record again (short: the end).
    const asked = api.seen.map((r) => r.url.searchParams.get('find[device]'));
    expect(new Set(asked)).toEqual(new Set(DEVICES));
    expect(api.maxInFlight).toBe(2);
    // The record lists every page of every value.
    const node = out.record.nodes.find((n) => n.name === 'entries')!;
    expect(node.inputs!.map((i) => new URL(i.uri).searchParams.get('find[device]')).sort()).toEqual(asked.sort());
  });

  it('asks again when the API changed, though its input did not', async () => {
    const file = writePipeline(ws, 'per_device_cached', {
      before: [devicesSeed([['xdrip-a']])],
      sourceInputs: ['dev'],
      source: perDevice(),
    });
    const first = await runFile(ws, file, { useCache: true });
    expect(first.lines).toHaveLength(301);
    const same = await runFile(ws, file, { useCache: true });
    expect(same.out.record.nodes.find((n) => n.name === 'entries')!.cached).toBe(true);
    api.entries.push({ ...api.entries[0]!, _id: 'e999999', date: T0 + 86_400_000, dateString: new Date(T0 + 86_400_000).toISOString(), device: 'xdrip-a' });
    try {
      const changed = await runFile(ws, file, { useCache: true });
      expect(changed.out.record.nodes.find((n) => n.name === 'entries')!.cached).toBe(false);
      expect(changed.lines).toHaveLength(302);
    } finally {
      api.entries.pop();
    }
  });

  it('refuses too many values before asking any, and an input without for_each', async () => {
    const many = writePipeline(ws, 'too_many', { before: [devicesSeed([['a'], ['b'], ['c']])], sourceInputs: ['dev'], source: perDevice({ max_values: 2 }) });
    api.reset();
    const { out } = await runFile(ws, many);
    expect(out.error!.message).toBe('node "entries": connection "ns": "devices"."device" has more than 2 distinct values (max_values): one request each would be too many');
    expect(api.seen).toHaveLength(0);
    const { for_each: _, ...plain } = perDevice();
    const bare = writePipeline(ws, 'no_for_each', { before: [devicesSeed([['a']])], sourceInputs: ['dev'], source: { ...plain, query: {} } });
    await expect(runFile(ws, bare)).rejects.toThrow('http source "entries": with an input it needs for_each (the column whose values it asks for)');
  });
});
