import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../../../src-main/engine/run/params';
import { coerceParam } from '../../../../shared/pipeline/params';
import { paramValuesFor } from '../../../../src-renderer/run/run-config-store';

describe('one parameter coercion rule for the engine and the app', () => {
  it('types text, defaults and CLI values, ignoring surrounding spaces except in a string', () => {
    expect(coerceParam('string', ' B0142 ')).toEqual({ ok: true, value: ' B0142 ' });
    expect(coerceParam('integer', ' 3 ')).toEqual({ ok: true, value: 3 });
    expect(coerceParam('integer', 7)).toEqual({ ok: true, value: 7 });
    expect(coerceParam('number', '72.5')).toEqual({ ok: true, value: 72.5 });
    expect(coerceParam('boolean', 'TRUE')).toEqual({ ok: true, value: true });
    expect(coerceParam('boolean', ' 0')).toEqual({ ok: true, value: false });
    expect(coerceParam('boolean', false)).toEqual({ ok: true, value: false });
    expect(coerceParam('date', '2026-01-31 ')).toEqual({ ok: true, value: '2026-01-31' });
  });

  it('says what was expected when a value does not fit', () => {
    expect(coerceParam('integer', '2.5')).toEqual({ ok: false, problem: 'expected an integer' });
    expect(coerceParam('integer', 2.5)).toEqual({ ok: false, problem: 'expected an integer' });
    expect(coerceParam('integer', '  ')).toEqual({ ok: false, problem: 'expected an integer' });
    expect(coerceParam('number', 'abc')).toEqual({ ok: false, problem: 'expected a number' });
    expect(coerceParam('number', '')).toEqual({ ok: false, problem: 'expected a number' });
    expect(coerceParam('boolean', 'maybe')).toEqual({ ok: false, problem: 'expected true or false' });
    expect(coerceParam('date', '31/01/2026')).toEqual({ ok: false, problem: 'expected a date as YYYY-MM-DD' });
  });

  it('the app refuses exactly what a run refuses, with the same words', () => {
    const specs = { strict: { type: 'boolean' as const }, day: { type: 'date' as const }, n: { type: 'integer' as const } };
    const typed = { strict: ' yes', day: '2026-1-31', n: '4x' };
    const { problems } = paramValuesFor(specs, typed);
    for (const [name, text] of Object.entries(typed)) {
      expect(() => resolveParams(specs, { strict: 'true', day: '2026-01-31', n: '1', [name]: text })).toThrow(`parameter ${name}: ${problems[name]}, got ${JSON.stringify(text)}`);
    }
    // And accepts what it accepts, as the same values.
    const ok = { strict: ' TRUE ', day: ' 2026-01-31', n: ' 4 ' };
    expect(resolveParams(specs, ok)).toEqual(paramValuesFor(specs, ok).values);
  });
});
