import { z } from 'zod';
import { identifier, sqlLines } from '../common';

/**
 * A data quality check node: it passes its first input through unchanged (a view over it)
 * and evaluates rules against it. A failing rule of severity `error` stops everything
 * downstream; `warn` is recorded and the run goes on.
 *
 * not_null, unique, accepted_values and relationship follow dbt's generic tests of the same
 * names: NULLs are ignored by unique, accepted_values and relationship (combine them with
 * not_null where a value is required). range, regex and expression pass NULLs as well, as
 * dbt_utils' accepted_range / expression_is_true and an SQL CHECK constraint do.
 */

/** A column of the checked relation; always quoted, so any name the input has is fine. */
const column = z.string().min(1, 'expected a column name');
const sqlExpression = z
  .string()
  .min(1, 'expected an SQL expression')
  .refine((s) => !s.includes('\n'), 'expected one line (an SQL expression without newlines)');
const bound = z.union([z.number(), z.string().min(1)]);

const ruleBase = {
  /** Shown in results and the report; defaults to `<type>_<column>` (see ruleNames). */
  name: z.string().min(1).max(120).optional(),
  description: z.string().optional(),
  severity: z.enum(['error', 'warn']).default('error'),
};
/** Like dbt's `where` config: only rows matching this SQL condition are checked. */
const where = { where: sqlExpression.optional() };

export const notNullRule = z.strictObject({ type: z.literal('not_null'), ...ruleBase, ...where, column });
export const uniqueRule = z.strictObject({
  type: z.literal('unique'),
  ...ruleBase,
  ...where,
  /** One column, or a combination that must be unique together. */
  columns: z.array(column).min(1, 'expected at least one column'),
});
export const acceptedValuesRule = z.strictObject({
  type: z.literal('accepted_values'),
  ...ruleBase,
  ...where,
  column,
  values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1, 'expected at least one accepted value'),
});
export const rangeRule = z
  .strictObject({
    type: z.literal('range'),
    ...ruleBase,
    ...where,
    column,
    /** Numbers, or strings for dates and timestamps ('2026-01-01'). */
    min: bound.optional(),
    max: bound.optional(),
    /** Whether min and max themselves are accepted (as dbt_utils' accepted_range). */
    inclusive: z.boolean().default(true),
  })
  .refine((r) => r.min !== undefined || r.max !== undefined, 'expected min, max or both');
export const rowCountRule = z
  .strictObject({
    type: z.literal('row_count'),
    ...ruleBase,
    ...where,
    min: z.number().int().nonnegative().optional(),
    max: z.number().int().nonnegative().optional(),
  })
  .refine((r) => r.min !== undefined || r.max !== undefined, 'expected min, max or both');
export const relationshipRule = z.strictObject({
  type: z.literal('relationship'),
  ...ruleBase,
  ...where,
  column,
  /** The name of the other node; it must also be one of the check node's inputs. */
  to: identifier,
  /** The column of `to` that must hold every (non-NULL) value of `column`. */
  field: column,
});
export const regexRule = z.strictObject({
  type: z.literal('regex'),
  ...ruleBase,
  ...where,
  column,
  /** RE2 syntax (DuckDB's); the whole value must match. */
  pattern: z.string().min(1, 'expected a regular expression'),
});
export const expressionRule = z.strictObject({
  type: z.literal('expression'),
  ...ruleBase,
  ...where,
  /** A boolean SQL expression over the checked relation's columns; rows where it is false fail. */
  expression: sqlExpression,
});
export const queryRule = z.strictObject({
  type: z.literal('query'),
  ...ruleBase,
  /** A SELECT returning the failing rows; it may read any input of the check node by name. */
  sql: sqlLines.min(1, 'expected SQL'),
});

export const checkRule = z.discriminatedUnion('type', [
  notNullRule,
  uniqueRule,
  acceptedValuesRule,
  rangeRule,
  rowCountRule,
  relationshipRule,
  regexRule,
  expressionRule,
  queryRule,
]);
export type CheckRule = z.infer<typeof checkRule>;
export type CheckRuleType = CheckRule['type'];

export const checkRuleTypes: readonly CheckRuleType[] = [
  'not_null',
  'unique',
  'accepted_values',
  'range',
  'row_count',
  'relationship',
  'regex',
  'expression',
  'query',
];

/** The columns a rule is about, for default names and the report. */
export function ruleColumns(rule: CheckRule): string[] {
  switch (rule.type) {
    case 'unique':
      return rule.columns;
    case 'row_count':
    case 'expression':
    case 'query':
      return [];
    default:
      return [rule.column];
  }
}

function defaultName(rule: CheckRule): string {
  const cols = ruleColumns(rule).map((c) => c.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'column');
  const base = [rule.type, ...cols].join('_');
  return rule.type === 'relationship' ? `${base}_to_${rule.to}` : base;
}

/**
 * Each rule's display name: its own `name`, or `<type>_<columns>`, with `_2`, `_3`... when
 * two unnamed rules would otherwise share a name. The engine and the forms use this one function.
 */
export function ruleNames(rules: readonly CheckRule[]): string[] {
  const explicit = new Set(rules.flatMap((r) => (r.name ? [r.name] : [])));
  const used = new Set<string>();
  return rules.map((r) => {
    if (r.name) {
      used.add(r.name);
      return r.name;
    }
    const base = defaultName(r);
    let name = base;
    for (let i = 2; used.has(name) || explicit.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  });
}

export const checkConfig = z
  .strictObject({
    rules: z.array(checkRule).min(1, 'expected at least one rule'),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Map<string, number>();
    cfg.rules.forEach((r, i) => {
      if (!r.name) return;
      const before = seen.get(r.name);
      if (before !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `duplicate rule name "${r.name}" (also rules[${before}])` });
      }
      seen.set(r.name, i);
    });
  });
export type CheckConfig = z.infer<typeof checkConfig>;
