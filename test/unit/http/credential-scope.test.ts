import { describe, expect, it } from 'vitest';
import { CredentialScope } from '../../../src-main/engine/http/credential-scope';
import { SecretValues } from '../../../src-main/engine/http/redact';

function scope(crossOrigin: 'refuse' | 'without_credentials') {
  const secrets = new SecretValues(null);
  secrets.remember('s3cr3t-query-value');
  secrets.remember('p4th-t0ken');
  secrets.markParam('key');
  return new CredentialScope(new URL('https://api.example/v1'), { 'x-api-key': 'k-123', authorization: 'Bearer b-456' }, crossOrigin, secrets, 'connection "api"');
}

describe('CredentialScope', () => {
  it('sends every credential header to its own origin, whatever the path', () => {
    const hop = scope('refuse').hop(new URL('https://api.example/other/path?page=2'), 'the next page');
    expect(hop.headers).toEqual({ 'x-api-key': 'k-123', authorization: 'Bearer b-456' });
    expect(hop.url.href).toBe('https://api.example/other/path?page=2');
  });

  it('refuses another host, another port, and plain http for an https connection', () => {
    const s = scope('refuse');
    expect(() => s.hop(new URL('https://cdn.example/x'), 'the next page')).toThrow(
      'connection "api": the next page is at https://cdn.example, another origin than https://api.example: refused, so the connection\'s credentials stay with it (set "cross_origin": "without_credentials" to follow it without them)',
    );
    expect(() => s.hop(new URL('https://api.example:8443/x'), 'a redirect')).toThrow('a redirect is at https://api.example:8443, another origin');
    expect(() => s.hop(new URL('http://api.example/x'), 'a redirect')).toThrow('a redirect is at http://api.example (and plain http, where the connection is https), another origin');
  });

  it('without_credentials: no header, no secret query value, no user info', () => {
    const hop = scope('without_credentials').hop(new URL('http://u:p@cdn.example/x?key=short&token=s3cr3t-query-value&page=2'), 'the next page');
    expect(hop.headers).toEqual({});
    expect(hop.url.href).toBe('http://cdn.example/x?page=2');
  });

  it('without_credentials still refuses a URL that holds a secret in its path', () => {
    expect(() => scope('without_credentials').hop(new URL('https://cdn.example/p4th-t0ken/x'), 'the next page')).toThrow(
      'connection "api": the next page is at https://cdn.example, another origin than https://api.example, and its URL holds a secret: refused',
    );
  });
});
