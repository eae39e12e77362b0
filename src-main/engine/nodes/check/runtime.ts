import type { CheckConfig, CheckRule } from '../../../../shared/nodes/check';
import { ruleNames } from '../../../../shared/nodes/check';
import { WeirError } from '../../../../shared/errors';
import type { CheckResult } from '../../../../shared/run/record';
import { ident } from '../../duckdb/sql';
import type { CompileContext, NodeRuntime } from '../types';
import { plural, ruleRequirement } from './describe-rule';
import { evaluateRule } from './evaluate';
import { failingRowsSql, rowCountSql } from './rule-sql';

/** The checked relation (the first input) and the rules' names, after checking references. */
function resolve(ctx: CompileContext<CheckConfig>): { checked: string; names: string[] } {
  const checked = ctx.inputs[0]?.name;
  if (!checked) throw new WeirError('invalid', `check node "${ctx.node.name}" needs an input: the relation to check`);
  const inputNames = new Set(ctx.inputs.map((i) => i.name.toLowerCase()));
  const names = ruleNames(ctx.config.rules);
  ctx.config.rules.forEach((r, i) => {
    // The graph orders nodes by `inputs`; a relationship to a node that is not an input could
    // run before that node exists.
    if (r.type === 'relationship' && !inputNames.has(r.to.toLowerCase())) {
      throw new WeirError(
        'invalid',
        `check node "${ctx.node.name}", rule "${names[i]}": "${r.to}" must also be an input of the check node (add it to its inputs)`,
        { nodeId: ctx.node.id, nodeName: ctx.node.name },
      );
    }
  });
  return { checked, names };
}

/** The check node's own relation: its checked input's rows, under the check node's name. */
function checkedView(ctx: CompileContext<CheckConfig>, checked: string): string {
  return `CREATE OR REPLACE VIEW ${ident(ctx.node.name)} AS SELECT * FROM ${ident(checked)}`;
}

function ruleSql(rule: CheckRule, checked: string): string {
  return rule.type === 'row_count' ? rowCountSql(rule, checked) : failingRowsSql(rule, checked);
}

function summary(failed: CheckResult[]): string {
  const what = failed.map((c) => `${c.rule} (${c.type === 'row_count' ? c.message : plural(c.failingRows, 'failing row')})`).join(', ');
  return `${failed.length === 1 ? 'check' : 'checks'} failed: ${what}`;
}

/**
 * A quality check: a view over its first input (so downstream nodes read the checked rows
 * by the check node's name), plus rules evaluated against it. An `error` rule that fails
 * blocks everything downstream; a `warn` rule is reported and the run goes on.
 */
export const checkRuntime: NodeRuntime<CheckConfig> = {
  kind: 'check',
  // Its results belong to this run's record: always evaluated, never taken from the cache.
  cacheable: false,
  readsInputRepeatedly: true,
  compile(ctx) {
    const { checked, names } = resolve(ctx);
    const view = checkedView(ctx, checked);
    // Shown by `weir plan` so a reviewer sees exactly what each rule selects; run() runs them.
    const rules = ctx.config.rules.map(
      (r, i) => `-- rule ${names[i]} (${r.severity}): ${ruleRequirement(r)}; ${r.type === 'row_count' ? 'counts rows' : 'selects failing rows'}\n${ruleSql(r, checked)}`,
    );
    return { relation: 'view', statements: [view, ...rules] };
  },
  queries(ctx) {
    const checked = ctx.inputs[0]?.name;
    return checked ? ctx.config.rules.map((r) => ruleSql(r, checked)) : [];
  },
  async run(ctx) {
    const { checked, names } = resolve(ctx);
    await ctx.conn.run(checkedView(ctx, checked));
    const checks: CheckResult[] = [];
    for (const [i, rule] of ctx.config.rules.entries()) {
      if (ctx.signal.aborted) throw new WeirError('cancelled', 'cancelled');
      const result = await evaluateRule({ rule, name: names[i]!, conn: ctx.conn, checked, nodeName: ctx.node.name });
      checks.push(result);
      if (!result.passed && result.severity === 'warn') ctx.warn(`check ${result.rule} (warn): ${result.message}`);
    }
    const failed = checks.filter((c) => !c.passed && c.severity === 'error');
    return { rows: null, checks, ...(failed.length ? { blocking: summary(failed) } : {}) };
  },
};
