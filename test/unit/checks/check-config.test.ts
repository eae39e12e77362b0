import { PipelineInvalidError } from '../../../shared/errors';
import { describe, expect, it } from 'vitest';
import { checkConfig, checkRule, checkRuleTypes, ruleNames, type CheckRule } from '../../../shared/nodes/check';
import { nodeKindSpec } from '../../../shared/nodes/registry';
import { parsePipeline } from '../../../shared/pipeline/parse';

const rules = (...rs: Record<string, unknown>[]): CheckRule[] => rs.map((r) => checkRule.parse(r));

function pipelineWith(config: unknown, inputs = ['seed']): string {
  return JSON.stringify({
    format: 'weir.pipeline',
    version: 1,
    name: 'p',
    nodes: [
      { id: 'seed', name: 'items', kind: 'seed', inputs: [], config: { columns: [{ name: 'id', type: 'INTEGER' }], rows: [[1]] } },
      { id: 'chk', name: 'items_checked', kind: 'check', inputs, config },
    ],
  });
}

describe('check node config', () => {
  it('is a registered node kind of the check category taking at least one input', () => {
    const spec = nodeKindSpec('check');
    expect(spec).toMatchObject({ category: 'check', inputs: { min: 1 } });
    expect(spec!.config.safeParse(spec!.defaults()).success).toBe(true);
  });

  it('knows the nine rule types, each with severity error by default', () => {
    expect([...checkRuleTypes].sort()).toEqual(['accepted_values', 'expression', 'not_null', 'query', 'range', 'regex', 'relationship', 'row_count', 'unique']);
    const parsed = rules(
      { type: 'not_null', column: 'a' },
      { type: 'unique', columns: ['a', 'b'] },
      { type: 'accepted_values', column: 'a', values: ['x', 1, true] },
      { type: 'range', column: 'a', min: 0 },
      { type: 'row_count', max: 10 },
      { type: 'relationship', column: 'a', to: 'other', field: 'b' },
      { type: 'regex', column: 'a', pattern: '^x$' },
      { type: 'expression', expression: 'a > 0' },
      { type: 'query', sql: ['select 1'] },
    );
    expect(parsed.map((r) => r.severity)).toEqual(Array(9).fill('error'));
    expect(parsed.find((r) => r.type === 'range')).toMatchObject({ inclusive: true });
  });

  it('names rules <type>_<columns> unless named, numbering clashes', () => {
    const names = ruleNames(
      rules(
        { type: 'not_null', column: 'batch_id' },
        { type: 'unique', columns: ['batch_id', 'assay'] },
        { type: 'range', column: 'viability %', min: 0 },
        { type: 'range', column: 'viability %', max: 100 },
        { type: 'relationship', column: 'batch_id', to: 'batches', field: 'batch_id' },
        { type: 'row_count', min: 1 },
        { type: 'not_null', column: 'x', name: 'row_count_2' },
        { type: 'row_count', max: 9 },
      ),
    );
    expect(names).toEqual([
      'not_null_batch_id',
      'unique_batch_id_assay',
      'range_viability',
      'range_viability_2',
      'relationship_batch_id_to_batches',
      'row_count',
      'row_count_2',
      'row_count_3',
    ]);
  });

  it('refuses bad configs with the JSON path of the problem', () => {
    const cases: [unknown, RegExp][] = [
      [{ rules: [] }, /nodes\[1\]\.config\.rules: expected at least one rule/],
      [{ rules: [{ type: 'range', column: 'id' }] }, /nodes\[1\]\.config\.rules\[0\]: expected min, max or both/],
      [{ rules: [{ type: 'not_nul', column: 'id' }] }, /nodes\[1\]\.config\.rules\[0\]\.type/],
      [{ rules: [{ type: 'not_null', column: 'id', severity: 'fatal' }] }, /rules\[0\]\.severity/],
      [{ rules: [{ type: 'not_null', column: 'id', extra: 1 }] }, /rules\[0\]/],
      [{ rules: [{ type: 'expression', expression: 'a\nb' }] }, /rules\[0\]\.expression: expected one line/],
      [{ rules: [{ type: 'relationship', column: 'id', to: 'bad name', field: 'id' }] }, /rules\[0\]\.to/],
      [
        { rules: [{ type: 'not_null', column: 'id', name: 'x' }, { type: 'row_count', min: 1, name: 'x' }] },
        /rules\[1\]\.name: duplicate rule name "x" \(also rules\[0\]\)/,
      ],
    ];
    for (const [config, message] of cases) {
      const e = (() => {
        try {
          parsePipeline(pipelineWith(config));
        } catch (err) {
          return err as PipelineInvalidError;
        }
        throw new Error(`accepted ${JSON.stringify(config)}`);
      })();
      expect(e).toBeInstanceOf(PipelineInvalidError);
      // Every issue keeps its JSON path; the one line names the node and the field in words.
      expect(e.issues.map((i) => `${i.path}: ${i.message}`).join('\n'), JSON.stringify(config)).toMatch(message);
      expect(e.message).toMatch(/^pipeline: check "[^"]+", Rules/);
    }
  });

  it('needs the relation to check as its first input', () => {
    expect(() => parsePipeline(pipelineWith({ rules: [{ type: 'row_count', min: 1 }] }, []))).toThrow(/a check node takes 1 to \d+ inputs, got 0/);
    expect(checkConfig.safeParse({ rules: [{ type: 'row_count', min: 1 }] }).success).toBe(true);
  });
});
