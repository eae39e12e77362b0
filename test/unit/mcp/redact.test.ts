import { describe, expect, it } from 'vitest';
import { redactCredentials } from '../../../src-main/mcp/redact';

describe('redactCredentials: what an assistant is never shown', () => {
  it('drops the user-info of URLs, whatever the scheme', () => {
    expect(redactCredentials('read https://alice:hunter2@api.example.com/v1/x')).toBe('read https://***@api.example.com/v1/x');
    expect(redactCredentials('postgres://etl:s3cr3t@db:5432/marts and s3://KEY@bucket')).toBe('postgres://***@db:5432/marts and s3://***@bucket');
    expect(redactCredentials('{"url":"https://tok3n@host/p"}')).toBe('{"url":"https://***@host/p"}');
  });

  it('leaves URLs without credentials, and e-mail addresses outside URLs, as they are', () => {
    const text = 'https://api.example.com/v1?x=1 s3://bucket/raw/a.csv mail qa@example.com';
    expect(redactCredentials(text)).toBe(text);
  });

  it('hides the values of password, secret, token and key settings, and keeps JSON valid', () => {
    expect(redactCredentials('host=db password=hunter2 user=etl')).toBe('host=db password=*** user=etl');
    expect(redactCredentials('https://h/p?api_key=abc123&x=1')).toBe('https://h/p?api_key=***&x=1');
    expect(redactCredentials('AWS_SECRET_ACCESS_KEY=wJalr/XUtnFEMI')).toBe('AWS_SECRET_ACCESS_KEY=***');
    expect(redactCredentials('https://h/feed?token=abc&n=1')).toBe('https://h/feed?token=***&n=1');
    // A parser's words are not a credential.
    expect(redactCredentials('Parser Error: unexpected token: SELECT')).toBe('Parser Error: unexpected token: SELECT');
    const json = JSON.stringify({ message: 'connect failed: password: hunter2, token=xyz' });
    const out = redactCredentials(json);
    expect(out).not.toMatch(/hunter2|xyz/);
    expect(JSON.parse(out)).toEqual({ message: 'connect failed: password: ***, token=***' });
  });

  it('hides bearer and basic credentials', () => {
    expect(redactCredentials('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc')).toBe('Authorization: Bearer ***');
    expect(redactCredentials('Basic dXNlcjpwYXNzd29yZA==')).toBe('Basic ***');
  });
});
