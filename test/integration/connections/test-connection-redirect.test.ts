import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../support/engine';
import { startHttpServer, type TestHttpServer } from '../../support/http-server';
import { tempDir } from '../../support/temp-dir';

describe('testing an http connection whose base URL redirects', () => {
  let home: TestHttpServer;
  let other: TestHttpServer;
  beforeAll(async () => {
    other = await startHttpServer(() => ({ body: { ok: true } }));
    home = await startHttpServer(() => ({ status: 302, headers: { location: `${other.url}/v1` }, body: {} }));
  });
  afterAll(async () => {
    await home?.close();
    await other?.close();
  });

  it('does not follow it, so the headers never reach the other origin, and says where it led', async () => {
    const r = await testConnection({
      name: 'api',
      spec: { kind: 'http', base_url: `${home.url}/v1`, headers: { 'x-api-key': '${env:T_REDIRECT_KEY}' } },
      workspaceRoot: tempDir('weir-conn-redirect-'),
      secrets: (n) => (n === 'T_REDIRECT_KEY' ? 'redirect-key-6f1a' : undefined),
    });
    expect(r).toMatchObject({
      ok: true,
      message: `${home.url}/v1 answered HTTP 302, a redirect to ${other.url}, another origin (a run refuses it unless the connection sets "cross_origin"); not followed by the test`,
    });
    expect(home.seen[0]?.headers['x-api-key']).toBe('redirect-key-6f1a');
    expect(other.seen).toEqual([]);
  });
});
