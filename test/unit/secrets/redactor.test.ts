import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/run/record';
import { maskRunEvent, maskRunRecord } from '../../../src-main/engine/secrets/mask-run';
import { processSecrets } from '../../../src-main/engine/secrets/process-secrets';
import { Redactor } from '../../../src-main/engine/secrets/redactor';
import { runRedactor, runSecrets } from '../../../src-main/engine/context/run-secrets';
import { testContext } from '../../support/engine';

describe('Redactor: a value in every form it can take', () => {
  const secret = 'a b/c+d"é<x>';

  it('masks a value as is, percent-, form-, JSON-, HTML-escaped and base64', () => {
    const r = new Redactor();
    r.remember(secret);
    const forms = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams([['k', secret]]).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
      Buffer.from(secret).toString('base64').replace(/=+$/, ''),
      Buffer.from(secret).toString('base64url'),
    ];
    for (const f of forms) expect(r.mask(`before ${f} after`)).toBe('before *** after');
  });

  it('leaves values under 3 characters alone, and ignores empty ones', () => {
    const r = new Redactor();
    r.remember('x1');
    r.remember('');
    r.remember(undefined);
    expect(r.mask('x1 is fine')).toBe('x1 is fine');
  });

  it('masks the longer of two overlapping values whole', () => {
    const r = new Redactor();
    r.remember('abc');
    r.remember('abcdef-123');
    expect(r.mask('[abcdef-123] [abc]')).toBe('[***] [***]');
  });

  it('masks the credential of an Authorization value apart, and a Basic pair decoded', () => {
    const r = new Redactor();
    const basic = Buffer.from('robot:s3cr3t-pw').toString('base64');
    r.remember(`Bearer tok-1234567`);
    r.remember(`Basic ${basic}`);
    expect(r.mask('echoed tok-1234567 and s3cr3t-pw and robot:s3cr3t-pw')).toBe('echoed *** and *** and ***');
  });
});

describe('Redactor: a value that is a URL', () => {
  const url = 'https://robot:pa55-w0rd@api.example:8443/api/tenant-42/v1?api_key=k3y-value#frag-9';

  it('is masked whole but for its origin, and by its parts wherever they appear apart', () => {
    const r = new Redactor();
    r.remember(url);
    expect(r.mask(`GET ${url}/items`)).toBe('GET https://api.example:8443/***/items');
    // Taken apart: as OpenLineage names a dataset, as a server echoes a key, user info in a message.
    expect(r.mask('name api/tenant-42/v1/items')).toBe('name api/***/v1/items');
    expect(r.mask('key=k3y-value user robot password pa55-w0rd frag-9')).toBe('key=*** user *** password *** ***');
    // Basic auth built from the user info.
    expect(r.mask(Buffer.from('robot:pa55-w0rd').toString('base64'))).toBe('***');
  });

  it('keeps plain words of its path (api, v1) readable elsewhere', () => {
    const r = new Redactor();
    r.remember(url);
    expect(r.mask('connection "api": node "v1"')).toBe('connection "api": node "v1"');
  });

  it('shows the URL without user info the same way', () => {
    const r = new Redactor();
    r.remember(url);
    expect(r.mask('https://api.example:8443/api/tenant-42/v1?api_key=k3y-value#frag-9')).toBe('https://api.example:8443/***');
  });

  it('masks nothing of a URL that is only an origin', () => {
    const r = new Redactor();
    r.remember('http://127.0.0.1:9000');
    expect(r.mask('cannot reach http://127.0.0.1:9000 (ECONNREFUSED)')).toBe('cannot reach http://127.0.0.1:9000 (ECONNREFUSED)');
  });
});

describe('Redactor: registries, lookups, JSON', () => {
  it('a child masks with its parent, and what it learns its parent learns', () => {
    const parent = new Redactor();
    const child = new Redactor(parent);
    parent.remember('from-the-parent-1');
    child.remember('from-the-child-22');
    expect(child.mask('from-the-parent-1 from-the-child-22')).toBe('*** ***');
    expect(parent.mask('from-the-child-22')).toBe('***');
  });

  it('remembers what a lookup returns, and what resolve fills in', () => {
    const r = new Redactor();
    const lookup = r.remembering((n) => ({ A: 'value-aaa-1', B: 'value-bbb-2' })[n]);
    expect(lookup('A')).toBe('value-aaa-1');
    expect(r.resolve('x=${env:B}', 'node "n"', (n) => ({ B: 'value-bbb-2' })[n])).toBe('x=value-bbb-2');
    expect(r.mask('value-aaa-1 value-bbb-2')).toBe('*** ***');
    expect(() => r.resolve('${env:NOPE}', 'connection "c"', () => undefined)).toThrow('connection "c": environment variable NOPE is not set');
  });

  it('masks an error message and its stack in place', () => {
    const r = new Redactor();
    r.remember('stack-secret-77');
    const e = new Error('failed with stack-secret-77');
    r.maskError(e);
    expect(e.message).toBe('failed with ***');
    expect(e.stack).not.toContain('stack-secret-77');
  });

  it('masks every string of a run record but its identities, and leaves the original alone', () => {
    const r = new Redactor();
    r.remember('abc');
    const record = {
      format: 'weir.run',
      runId: 'r-abc',
      pipeline: { name: 'abc_pipeline', file: 'p.weir.json', sha256: 'fabc' },
      status: 'failed',
      params: { token: 'abc' },
      nodes: [{ id: 'abc', name: 'abc_node', kind: 'http_source', status: 'failed', outputHash: '0abc', error: 'GET /abc failed', inputs: [{ uri: 'http://h/abc', sha256: 'abc1' }] }],
      warnings: ['abc warned'],
    } as unknown as RunRecord;
    const masked = maskRunRecord(r, record) as unknown as typeof record & { params: { token: string }; nodes: Record<string, unknown>[] };
    expect(masked.runId).toBe('r-abc');
    expect(masked.pipeline).toEqual({ name: 'abc_pipeline', file: 'p.weir.json', sha256: 'fabc' });
    expect(masked.params.token).toBe('***');
    expect(masked.nodes[0]).toEqual({ id: 'abc', name: 'abc_node', kind: 'http_source', status: 'failed', outputHash: '0abc', error: 'GET /*** failed', inputs: [{ uri: 'http://h/***', sha256: 'abc1' }] });
    expect(masked.warnings).toEqual(['*** warned']);
    expect((record as unknown as { warnings: string[] }).warnings).toEqual(['abc warned']);
  });

  it('masks the text of events, not their ids', () => {
    const r = new Redactor();
    r.remember('evt-secret-1');
    const e = maskRunEvent(r, { type: 'node_failed', runId: 'r1', nodeId: 'n', name: 'n', error: 'evt-secret-1 leaked', durationMs: 1, at: 't' });
    expect(e).toEqual({ type: 'node_failed', runId: 'r1', nodeId: 'n', name: 'n', error: '*** leaked', durationMs: 1, at: 't' });
  });

  it("a run's registry starts with the credential variables, and feeds the process's", () => {
    const r = runRedactor((n) => ({ PGPASSWORD: 'pg-pw-from-keychain-9', OPENLINEAGE_API_KEY: 'ol-key-123' })[n]);
    expect(r.mask('pg-pw-from-keychain-9 ol-key-123')).toBe('*** ***');
    expect(processSecrets().mask('pg-pw-from-keychain-9')).toBe('***');
  });

  it("runSecrets: a lookup (the shell's first, then the environment) and masked events", () => {
    process.env.WEIR_TEST_RUN_SECRET = 'env-value-4242';
    try {
      const seen: string[] = [];
      const s = runSecrets({ secrets: (n) => (n === 'K' ? 'keychain-value-77' : undefined), onEvent: (e) => seen.push(JSON.stringify(e)) }, testContext());
      expect(s.lookup('K')).toBe('keychain-value-77');
      expect(s.lookup('WEIR_TEST_RUN_SECRET')).toBe('env-value-4242');
      // Remembered by what resolves them (here, as resolveConnection would).
      processSecrets().remember('keychain-value-77');
      processSecrets().remember('env-value-4242');
      s.onEvent!({ type: 'node_warning', runId: 'r', nodeId: 'n', name: 'n', message: 'keychain-value-77 env-value-4242' });
      expect(seen).toEqual(['{"type":"node_warning","runId":"r","nodeId":"n","name":"n","message":"*** ***"}']);
    } finally {
      delete process.env.WEIR_TEST_RUN_SECRET;
    }
  });
});

describe('resolveConnection remembers what it resolves', () => {
  it('every value, but where a PostgreSQL server is (host, port)', async () => {
    const { resolveConnection } = await import('../../../src-main/engine/workspace/workspace');
    const values: Record<string, string> = { H: 'db-host-9.internal', P: '65432', D: 'mart-db-3x', U: 'mart-user-7y', W: 'mart-pw-5z' };
    const spec = resolveConnection('mart', { kind: 'postgres', host: '${env:H}', port: '${env:P}', database: '${env:D}', user: '${env:U}', password: '${env:W}' }, (n) => values[n]);
    expect(spec).toMatchObject({ host: 'db-host-9.internal', port: '65432', password: 'mart-pw-5z' });
    const run = runRedactor(() => undefined);
    expect(run.mask('mart-user-7y@db-host-9.internal:65432/mart-db-3x mart-pw-5z')).toBe('***@db-host-9.internal:65432/*** ***');
  });
});
