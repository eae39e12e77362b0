import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditRecord, readAuditEntries } from '../../../src-main/engine/audit/audit-log';
import { lakeReader, mirrorToLake, type LakeRecord } from '../../../src-main/engine/audit/anchor/lake-mirror';
import { PreconditionFailed } from '../../../src-main/engine/storage/object-store';
import { S3ObjectStore } from '../../../src-main/engine/storage/s3-store';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { S3RVER_KEY, type S3TestServer } from '../../support/s3-server';
import { runWeir } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';
import { fakeRecord } from '../../unit/audit/fake-record';

const BUCKET = uniqueBucket('trail');

/** A workspace whose local log holds `n` runs (no git: the lake is the only anchor here). */
async function workspaceWith(n: number, offset: number): Promise<string> {
  const ws = tempDir('weir-lake-trail-');
  for (let i = 1; i <= n; i++) await appendAuditRecord(ws, fakeRecord(offset + i));
  return ws;
}

describe('the lake trail: one shared chain, appended with If-None-Match', () => {
  let s3: S3TestServer;
  let proxy: FaultProxy;
  const stores: S3ObjectStore[] = [];
  const spec = (endpoint: string) => ({ kind: 's3', bucket: BUCKET, endpoint, region: 'us-east-1', force_path_style: true, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY, root: '' }) as const;
  /** A writer of its own (its own client and sockets), through the proxy, counting the creates it lost. */
  const writer = () => {
    const store = new S3ObjectStore('trail', spec(proxy.endpoint), { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    stores.push(store);
    const lost = { count: 0 };
    const put = store.putBytes.bind(store);
    store.putBytes = async (key, body, o) => {
      try {
        return await put(key, body, o);
      } catch (e) {
        if (e instanceof PreconditionFailed && !key.includes('.probe-')) lost.count++;
        throw e;
      }
    };
    return { store, lost };
  };

  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    proxy = await startFaultProxy(s3.endpoint);
  });
  afterAll(async () => {
    for (const s of stores) s.destroy();
    await proxy?.close();
    await s3?.stop();
  });

  it('two writers mirroring at once never produce two records with one seq, and each chain is whole', async () => {
    proxy.conditionalPuts = 'honour';
    const [a, b] = [await workspaceWith(15, 0), await workspaceWith(15, 50)];
    const [wa, wb] = [writer(), writer()];
    const opts = { prefix: 'shared/audit', conditionalWrites: 'required' as const };
    const [na, nb] = await Promise.all([mirrorToLake(a, wa.store, opts), mirrorToLake(b, wb.store, opts)]);
    expect([na, nb]).toEqual([15, 15]);
    // The race happened (some create lost to the other writer) and was resolved by re-chaining.
    expect(wa.lost.count + wb.lost.count).toBeGreaterThan(0);

    const reader = lakeReader(writer().store, 'shared/audit');
    const first = async (ws: string) => (await readAuditEntries(ws))[0]!.hash;
    const ofA = await reader.readChain(await first(a));
    const ofB = await reader.readChain(await first(b));
    expect(ofA.problems).toEqual([]);
    const all: LakeRecord[] = [...ofA.records, ...ofB.records].sort((x, y) => x.seq - y.seq);
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // Each workspace's entries, once each, in its own order, byte for byte.
    for (const [ws, recs] of [[a, ofA.records], [b, ofB.records]] as const) {
      const local = await readAuditEntries(ws);
      expect(recs.map((r) => r.local.seq)).toEqual(local.map((e) => e.seq));
      expect(recs.map((r) => r.local.hash)).toEqual(local.map((e) => e.hash));
    }
    // Mirroring again writes nothing: it knows where it stopped.
    expect(await mirrorToLake(a, wa.store, opts)).toBe(0);
  });

  it('two weir processes (two machines\' workspaces) running at once mirror to one S3 prefix without sharing a seq', async () => {
    proxy.conditionalPuts = 'honour';
    const prefix = 'processes/audit';
    const pipeline = { format: 'weir.pipeline', version: 1, name: 'p', nodes: [{ id: 's', name: 'rows', kind: 'seed', config: { columns: [{ name: 'b', type: 'VARCHAR' }], rows: [['B1']] } }] };
    const machines = await Promise.all(
      [0, 1].map(async (m) => {
        // Earlier entries not mirrored yet (the lake was down, say): each run mirrors them all.
        const ws = await workspaceWith(12, 100 + 20 * m);
        writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: { trail: spec(proxy.endpoint) } } } }));
        writeFileSync(join(ws, 'weir.audit.json'), JSON.stringify({ format: 'weir.audit', version: 1, lake: { connection: 'trail', prefix } }));
        mkdirSync(join(ws, 'pipelines'));
        writeFileSync(join(ws, 'pipelines', 'p.weir.json'), JSON.stringify(pipeline));
        return ws;
      }),
    );
    const results = await Promise.all(machines.map((ws) => runWeir(['run', join(ws, 'pipelines', 'p.weir.json')])));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const reader = lakeReader(writer().store, prefix);
    const chains = await Promise.all(machines.map(async (ws) => reader.readChain((await readAuditEntries(ws))[0]!.hash)));
    expect(chains[0]!.problems).toEqual([]);
    const seqs = chains.flatMap((c) => c.records.map((r) => r.seq)).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    for (const [i, ws] of machines.entries()) {
      expect(chains[i]!.records.map((r) => r.local.hash)).toEqual((await readAuditEntries(ws)).map((e) => e.hash));
    }
  });

  it('a store that ignores If-None-Match (s3rver, older servers) is refused, unless the trail is declared single-writer', async () => {
    proxy.conditionalPuts = 'ignore';
    const ws = await workspaceWith(2, 90);
    const w = writer();
    await expect(mirrorToLake(ws, w.store, { prefix: 'ignored/audit', conditionalWrites: 'required' })).rejects.toThrow(/does not enforce If-None-Match .* not mirrored/);
    expect((await lakeReader(w.store, 'ignored/audit').readChain(null)).problems).toEqual([]);
    expect(await w.store.list('ignored/audit/')).toEqual([]);
    expect(await mirrorToLake(ws, w.store, { prefix: 'ignored/audit', conditionalWrites: 'single-writer' })).toBe(2);
    proxy.conditionalPuts = 'honour';
  });
});
