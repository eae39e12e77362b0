import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/canonical-json';
import { deepEqual, diffValue, type ValueChange } from '../../../shared/pipeline/semantic-diff';
import { nodeCacheKey } from '../../../src-main/engine/cache/cache-key';

/*
 * Before the three sorted-key serialisers became one, cache keys used `stableJson`
 * (engine/cache/cache-key.ts) and the audit log `canonicalJson` (engine/audit). Their code is
 * frozen here, verbatim, so that the shared one is proven byte-identical: a changed byte would
 * orphan every cached result and break every audit hash chain on disk.
 */
function oldStableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(oldStableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${oldStableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function oldAuditCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    return s === undefined ? 'null' : s;
  }
  if (Array.isArray(value)) return `[${value.map((v) => oldAuditCanonicalJson(v === undefined ? null : v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function')
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${oldAuditCanonicalJson(obj[k])}`).join(',')}}`;
}

const samples: unknown[] = [
  null,
  undefined,
  0,
  -1.5e-7,
  12345678901234567890,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  '',
  'plain',
  'quotes " and \\ and \n newline, unicode é ✓ \u0000 \u2028',
  [],
  {},
  [1, 'a', null, undefined, [2, [3, {}]], { b: 1, a: 2 }],
  { b: 1, a: { d: [3, { z: 1, y: undefined }], c: 'x' }, u: undefined, '': 0, 'a b': null, 10: 'ten', 2: 'two' },
  {
    kind: 'sql',
    name: 'n',
    config: { sql: ['select *', 'from raw'], materialize: 'table', checks: [{ rule: 'not_null', column: 'id' }] },
    inputs: [{ name: 'raw', key: 'abc' }],
    params: { day: '2026-01-01', n: 3, ratio: 0.1, on: false, list: [1, 2], nested: { z: null, a: [] } },
    fingerprint: undefined,
    engine: 'duckdb 1.5.6',
  },
  { date: new Date(0), deep: [[[[{ x: [{ y: [{ z: 1 }] }] }]]]] },
];

describe('canonicalJson', () => {
  it.each(samples.map((s, i) => [i, s]))('sample %i: byte-identical to the old cache-key and audit serialisers', (_i, s) => {
    expect(canonicalJson(s)).toBe(oldStableJson(s));
    expect(canonicalJson(s)).toBe(oldAuditCanonicalJson(s));
  });

  it('sorts keys at every depth and leaves out undefined members', () => {
    expect(canonicalJson({ b: [{ d: 1, c: undefined }], a: null })).toBe('{"a":null,"b":[{"d":1}]}');
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });

  it('cache keys are the ones computed before the change', () => {
    const key = nodeCacheKey({
      kind: 'sql',
      name: 'n',
      config: { sql: ['select 1'], b: [1, null, { z: 'x', a: 2.5 }], u: undefined },
      inputs: [{ name: 'a', key: 'k1' }],
      params: { day: '2026-01-01', n: 3, flag: true },
      fingerprint: 'f',
      engine: 'duckdb 1.5',
    });
    expect(key).toBe('a43c1a4a5123db0892805d2e7a33db6f9c7ff80dc879f072e77c004a70a3f0c3');
  });
});

describe('the semantic diff on top of it', () => {
  it('ignores key order and undefined members, but keeps undefined (absent) apart from null', () => {
    expect(deepEqual({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 })).toBe(true);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual(undefined, null)).toBe(false);
    expect(deepEqual(null, null)).toBe(true);
    const out: ValueChange[] = [];
    diffValue('config', { a: 1 }, { a: 1, b: null }, out);
    expect(out).toEqual([{ path: 'config.b', change: 'added', after: null }]);
  });
});
