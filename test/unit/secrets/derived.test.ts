import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hasSecretRef, isSecretRef, secretRefNames } from '../../../shared/connections/secret-refs';
import { secretsInClear } from '../../../shared/connections/secrets';
import { resolveSecretRefs } from '../../../src-main/engine/secrets/derived';
import { Redactor } from '../../../src-main/engine/secrets/redactor';

const VALUES: Record<string, string> = { KEY: 'k3y-8c1f0a-derived', USER: 'robot-5d', PASS: 'pw-2e9b7c-basic' };
const lookup = (n: string) => VALUES[n];

describe('derived secret references', () => {
  it('computes the closed set of transforms', () => {
    const r = new Redactor(null);
    const resolve = (t: string) => resolveSecretRefs(t, { who: 'connection "api"', lookup, remember: r });
    expect(resolve('${env:KEY}')).toBe(VALUES.KEY);
    expect(resolve('${sha1:env:KEY}')).toBe(createHash('sha1').update(VALUES.KEY!).digest('hex'));
    expect(resolve('${sha256:env:KEY}')).toBe(createHash('sha256').update(VALUES.KEY!).digest('hex'));
    expect(resolve('${base64:env:KEY}')).toBe(Buffer.from(VALUES.KEY!).toString('base64'));
    expect(resolve('${basic:env:USER,env:PASS}')).toBe(`Basic ${Buffer.from(`${VALUES.USER}:${VALUES.PASS}`).toString('base64')}`);
    expect(resolve('Token ${sha1:env:KEY}!')).toMatch(/^Token [0-9a-f]{40}!$/);
  });

  it('remembers the secrets and every value derived from them, so each is masked', () => {
    const r = new Redactor(null);
    const sent = [
      resolveSecretRefs('${sha1:env:KEY}', { who: 'x', lookup, remember: r }),
      resolveSecretRefs('${sha256:env:KEY}', { who: 'x', lookup, remember: r }),
      resolveSecretRefs('${basic:env:USER,env:PASS}', { who: 'x', lookup, remember: r }),
    ];
    const text = `got ${sent.join(' and ')} from ${VALUES.KEY} and ${VALUES.PASS}`;
    expect(r.mask(text)).toBe('got *** and *** and *** from *** and ***');
    // A location that stays readable still has its derived values remembered, in the fallback.
    const fallback = new Redactor(null);
    const hash = resolveSecretRefs('${sha1:env:KEY}', { who: 'x', lookup, remember: null, fallback });
    expect(fallback.mask(hash)).toBe('***');
  });

  it('names an unset variable, and never reads a resolved value again', () => {
    expect(() => resolveSecretRefs('${sha1:env:NOPE}', { who: 'connection "api"', lookup, remember: null })).toThrow('connection "api": environment variable NOPE is not set');
    const tricky = (n: string) => (n === 'A' ? '${env:KEY}' : undefined);
    expect(resolveSecretRefs('${env:A}', { who: 'x', lookup: tricky, remember: null })).toBe('${env:KEY}');
  });

  it('is recognised where a credential must be a reference, and nothing else is', () => {
    expect(isSecretRef('${sha1:env:KEY}')).toBe(true);
    expect(isSecretRef('${basic:env:USER,env:PASS}')).toBe(true);
    expect(isSecretRef('${md5:env:KEY}')).toBe(false);
    expect(isSecretRef('${sha1:env:KEY} ')).toBe(false);
    expect(isSecretRef('${basic:env:USER}')).toBe(false);
    expect(hasSecretRef('x ${sha256:env:KEY}')).toBe(true);
    expect(secretRefNames('${basic:env:USER,env:PASS} ${env:USER}')).toEqual(['USER', 'PASS']);
    expect(secretsInClear({ kind: 'http', base_url: 'https://ns.example', headers: { 'api-secret': '${sha1:env:NS}' } })).toEqual([]);
    expect(secretsInClear({ kind: 'http', base_url: 'https://ns.example', headers: { 'api-secret': 'plain' } })).toHaveLength(1);
  });
});
