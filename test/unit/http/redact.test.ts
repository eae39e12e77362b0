import { describe, expect, it } from 'vitest';
import { SecretValues } from '../../../src-main/engine/http/redact';
import { processSecrets } from '../../../src-main/engine/secrets/process-secrets';

describe('SecretValues', () => {
  it('remembers what a resolution looked up and masks it, encoded or not', () => {
    const s = new SecretValues();
    const lookup = (n: string) => ({ KEY: 'a b/c+d', SHORT: 'x1' })[n];
    expect(s.resolve('k=${env:KEY}', 'node "n"', lookup)).toBe('k=a b/c+d');
    expect(s.redact('raw a b/c+d, component a%20b%2Fc%2Bd, form a+b%2Fc%2Bd')).toBe('raw ***, component ***, form ***');
    // Too short to mask in free text without garbling it.
    s.resolve('${env:SHORT}', 'node "n"', lookup);
    expect(s.redact('x1')).toBe('x1');
  });

  it('shows a URL without user info, with secret query values and path parts masked', () => {
    const s = new SecretValues();
    s.remember('p4th-secret');
    s.remember('qu3ry secret');
    s.markParam('short');
    const url = new URL('https://me:pw@api.example/v1/p4th-secret/items?token=qu3ry%20secret&short=ab&page=2');
    expect(s.showUrl(url)).toBe('https://api.example/v1/***/items?token=***&short=***&page=2');
  });

  it('masks a whole URL from a secret but for its origin, and its user info, path token and query values apart', () => {
    const s = new SecretValues();
    s.remember('https://apiuser:pa55word@api.example/v1/t0k3n-path?key=k3y-value');
    expect(s.redact('GET https://apiuser:pa55word@api.example/v1/t0k3n-path?key=k3y-value failed')).toBe('GET https://api.example/*** failed');
    expect(s.showUrl(new URL('https://api.example/v1/t0k3n-path/items?page=2'))).toBe('https://api.example/v1/***/items?page=2');
    expect(s.redact('for apiuser, pa55word, k3y-value')).toBe('for ***, ***, ***');
  });

  it('adds what it learns to the process registry', () => {
    new SecretValues().remember('learnt-by-a-request-31');
    expect(processSecrets().mask('learnt-by-a-request-31')).toBe('***');
  });
});
