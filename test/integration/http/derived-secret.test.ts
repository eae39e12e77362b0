import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWeir, type CliResult } from '../../support/cli';
import { filesUnder } from '../../support/find-files';
import { startHttpServer, type TestHttpServer } from '../../support/http-server';
import { nightscoutEntries, startNightscout, type NightscoutServer } from '../../support/nightscout-server';
import { nightscoutWorkspace, runFile, SECRET, writePipeline } from './support';

const WRONG = 'ns-wrong-3a9e51-secret';
const sha1 = (t: string) => createHash('sha1').update(t).digest('hex');

/** Every way a value may be written: as is, upper-case hex, percent-, form-, JSON-escaped, base64. */
function encodings(v: string): string[] {
  return [
    ...new Set([
      v,
      v.toUpperCase(),
      encodeURIComponent(v),
      new URLSearchParams([['k', v]]).toString().slice(2),
      JSON.stringify(v).slice(1, -1),
      Buffer.from(v).toString('base64').replace(/=+$/, ''),
      Buffer.from(v).toString('base64url'),
    ]),
  ];
}

describe('a derived SHA-1 header authenticates, and neither the secret nor its hash is in anything Weir writes', () => {
  let api: NightscoutServer;
  let ws: string;
  const printed: string[] = [];

  beforeAll(async () => {
    // ETags, so the page cache keeps pages; 503s, so retries are logged.
    api = await startNightscout({ secret: SECRET, entries: nightscoutEntries(1500), validators: 'etag', failEvery: 7 });
    ws = nightscoutWorkspace(api.base, 'weir-derived-');
    writePipeline(ws, 'glucose', {
      source: { url: 'entries.json', retries: 6, pagination: { type: 'keyset', field: 'date', param: 'find[date][$lte]', operator: 'lte', key: ['_id'], size_param: 'count', size: 400 } },
      more: [{ id: 'daily', name: 'daily', kind: 'sql', inputs: ['src'], config: { sql: ['select device, count(*) as n, avg(sgv) as mean_sgv from entries group by device'] } }],
      orderBy: ['device'],
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  async function weir(args: string[], secret: string | undefined): Promise<CliResult> {
    const res = await runWeir(args, { fromSource: true, env: { NS_SECRET: secret } });
    printed.push(res.stdout, res.stderr);
    return res;
  }

  const MODES = [[], ['--json'], ['--debug']];

  it('runs in each mode: the API accepted the SHA-1 the connection derived', async () => {
    for (const mode of MODES) {
      const res = await weir(['run', join(ws, 'glucose.weir.json'), ...mode], SECRET);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
    }
    expect(api.seen.filter((r) => r.headers['api-secret'] === sha1(SECRET)).length).toBeGreaterThan(0);
    expect(api.statuses).not.toContain(401);
    const csv = readFileSync(join(ws, 'glucose.csv'), 'utf8').trim().split('\n');
    expect(csv).toEqual(['device,n,mean_sgv', ...['dexcom-g7', 'xdrip-a', 'xdrip-b'].map((d) => expect.stringMatching(new RegExp(`^${d},500,`)))]);
  }, 180_000);

  it('fails in one line with a wrong or missing secret', async () => {
    for (const mode of MODES) {
      const wrong = await weir(['run', join(ws, 'glucose.weir.json'), ...mode], WRONG);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/answered 401 Unauthorized \(check the credentials in the connection\)/);
      const missing = await weir(['run', join(ws, 'glucose.weir.json'), ...mode], undefined);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/connection "ns": environment variable NS_SECRET is not set/);
    }
    // Shown afterwards too.
    const list = await weir(['audit', 'list', '--workspace', ws, '--json'], SECRET);
    for (const line of list.stdout.trim().split('\n').slice(-3)) {
      const { runId } = JSON.parse(line) as { runId: string };
      expect((await weir(['audit', 'show', runId, '--workspace', ws, '--json'], SECRET)).code).toBe(0);
    }
  }, 180_000);

  it('holds no secret nor hash, in any encoding, in the workspace, the outputs or what the CLI printed', () => {
    const written: [string, Buffer][] = [
      ...filesUnder(ws).map((f): [string, Buffer] => [f, readFileSync(join(ws, f))]),
      ...printed.map((p, i): [string, Buffer] => [`cli output ${i}`, Buffer.from(p)]),
    ];
    const names = written.map(([n]) => n).join('\n');
    // What was searched is really there: records, the audit log, the node and page caches, the output.
    for (const part of ['.weir/runs/', '.weir/audit/log.jsonl', '.weir/cache/nodes/', '.weir/cache/http/', 'glucose.csv']) expect(names).toContain(part);
    const found: string[] = [];
    for (const value of [SECRET, sha1(SECRET), WRONG, sha1(WRONG)]) {
      for (const form of encodings(value)) {
        for (const [name, bytes] of written) if (bytes.includes(form)) found.push(`${JSON.stringify(form)} in ${name}`);
      }
    }
    expect(found).toEqual([]);
  });
});

describe('an API that answers a secret in its records', () => {
  let echo: TestHttpServer;
  let ws: string;

  beforeAll(async () => {
    // Echoes the api-secret it got, as a field of the records, with an ETag.
    echo = await startHttpServer((req) => ({ headers: { etag: '"v1"' }, body: [{ _id: 'a', got: req.headers['api-secret'] }] }));
    ws = nightscoutWorkspace(echo.url, 'weir-echo-');
  });
  afterAll(async () => {
    await echo?.close();
  });

  it('is never kept in the node or page cache', async () => {
    const file = writePipeline(ws, 'echo', { source: { url: 'x' } });
    for (let i = 0; i < 2; i++) {
      const { out, lines } = await runFile(ws, file, { useCache: true });
      expect(out.error?.message ?? null).toBeNull();
      // The data is the API's (it holds the hash): the run used it, and kept none of it.
      expect(lines[1]).toContain(sha1(SECRET));
      const node = out.record.nodes.find((n) => n.name === 'entries')!;
      expect(node.cached).toBe(false);
      expect(node.cacheKey).toBeUndefined();
    }
    // Asked in full both times: no conditional request, since the page was not kept.
    expect(echo.seen.map((r) => r.headers['if-none-match'] ?? null)).toEqual([null, null]);
    const cache = filesUnder(join(ws, '.weir', 'cache')).map((f) => readFileSync(join(ws, '.weir', 'cache', f)));
    expect(cache.filter((b) => encodings(sha1(SECRET)).some((f) => b.includes(f)))).toEqual([]);
  });
});
