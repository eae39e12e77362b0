import { describe, expect, it } from 'vitest';
import { coerceParam } from '../../../shared/pipeline/params';
import type { ParamSpec } from '../../../shared/pipeline/schema';
import { cliHint, cliValue, shellWord } from '../../../src-renderer/run/cli-hint';

const specs: Record<string, ParamSpec> = {
  min_viability_pct: { type: 'number', default: 70 },
  batch_id: { type: 'string' },
  lots: { type: 'integer' },
  strict: { type: 'boolean', default: false },
  since: { type: 'date' },
};

describe("the Parameters tab's command for a server", () => {
  it('never copies a typed value that does not fit the type: the default instead', () => {
    expect(cliHint('pipelines/batch_release.weir.json', { min_viability_pct: specs.min_viability_pct! }, { min_viability_pct: 'abc' })).toBe(
      'weir run pipelines/batch_release.weir.json --param min_viability_pct=70',
    );
    expect(cliValue(specs.lots!, '2.5')).toBe('1');
  });

  it('uses a value typed here when it fits', () => {
    expect(cliHint('p.weir.json', { min_viability_pct: specs.min_viability_pct! }, { min_viability_pct: ' 85.5 ' })).toBe('weir run p.weir.json --param min_viability_pct=85.5');
    expect(cliValue(specs.strict!, 'TRUE')).toBe('true');
  });

  it('gives a parameter without a default an example of its type, which the run accepts', () => {
    for (const [name, spec] of Object.entries(specs)) {
      const value = cliValue(spec, undefined);
      expect(coerceParam(spec.type, value), `${name}=${value}`).toMatchObject({ ok: true });
    }
    expect(cliValue(specs.since!, '2024-02-30')).toBe('2026-01-31');
  });

  it('quotes for the shell what a shell would split or expand', () => {
    expect(shellWord('B0142')).toBe('B0142');
    expect(shellWord("lot 7's")).toBe(`'lot 7'\\''s'`);
    expect(cliHint('my pipelines/a.weir.json', { batch_id: specs.batch_id! }, { batch_id: 'B 01' })).toBe("weir run 'my pipelines/a.weir.json' --param 'batch_id=B 01'");
  });
});
