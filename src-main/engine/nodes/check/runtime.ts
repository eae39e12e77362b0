import { checkedView, checkKind, plural, resolveCheck } from '../../../../shared/nodes/check';
import { WeirError } from '../../../../shared/errors';
import type { CheckResult } from '../../../../shared/run/record';
import { compileAt, defineNodeRuntime } from '../define';
import { evaluateRule } from './evaluate';

function summary(failed: CheckResult[]): string {
  const what = failed.map((c) => `${c.rule} (${c.type === 'row_count' ? c.message : plural(c.failingRows, 'failing row')})`).join(', ');
  return `${failed.length === 1 ? 'check' : 'checks'} failed: ${what}`;
}

/**
 * A quality check: a view over its first input (so downstream nodes read the checked rows
 * by the check node's name), plus rules evaluated against it. An `error` rule that fails
 * blocks everything downstream; a `warn` rule is reported and the run goes on. What each
 * rule selects is the definition's (shared/nodes/check/), shown by `weir plan`.
 */
export const checkRuntime = defineNodeRuntime(checkKind, {
  // Its results belong to this run's record: always evaluated, never taken from the cache.
  cacheable: false,
  readsInputRepeatedly: true,
  async run(ctx) {
    const { checked, names } = resolveCheck(ctx.config, compileAt(ctx));
    await ctx.conn.run(checkedView(ctx.node.name, checked));
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
});
