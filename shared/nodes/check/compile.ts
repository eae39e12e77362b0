import { WeirError } from '../../errors';
import { quoteIdent } from '../common';
import type { CompileAt, CompiledSql } from '../define';
import { ruleNames, type CheckConfig, type CheckRule } from './config';
import { ruleRequirement } from './describe-rule';
import { failingRowsSql, rowCountSql } from './rule-sql';

/** The checked relation (the first input) and the rules' names, after checking references. */
export function resolveCheck(config: CheckConfig, at: CompileAt): { checked: string; names: string[] } {
  const checked = at.inputNames[0];
  if (checked === undefined) throw new WeirError('invalid', `check node "${at.nodeName}" needs an input: the relation to check`);
  const inputNames = new Set(at.inputNames.map((n) => n.toLowerCase()));
  const names = ruleNames(config.rules);
  config.rules.forEach((r, i) => {
    // The graph orders nodes by `inputs`; a relationship to a node that is not an input could
    // run before that node exists.
    if (r.type === 'relationship' && !inputNames.has(r.to.toLowerCase())) {
      throw new WeirError(
        'invalid',
        `check node "${at.nodeName}", rule "${names[i]}": "${r.to}" must also be an input of the check node (add it to its inputs)`,
        { ...(at.nodeId !== undefined ? { nodeId: at.nodeId } : {}), nodeName: at.nodeName },
      );
    }
  });
  return { checked, names };
}

/** The check node's own relation: its checked input's rows, under the check node's name. */
export function checkedView(nodeName: string, checked: string): string {
  return `CREATE OR REPLACE VIEW ${quoteIdent(nodeName)} AS SELECT * FROM ${quoteIdent(checked)}`;
}

/** What a rule selects: its failing rows, or (row_count) the row count it compares. */
export function ruleSql(rule: CheckRule, checked: string): string {
  return rule.type === 'row_count' ? rowCountSql(rule, checked) : failingRowsSql(rule, checked);
}

/** The view, then each rule's SQL under a comment saying what it requires: what `weir plan` and the designer show. */
export function compileCheck(config: CheckConfig, at: CompileAt): CompiledSql {
  const { checked, names } = resolveCheck(config, at);
  const rules = config.rules.map(
    (r, i) => `-- rule ${names[i]} (${r.severity}): ${ruleRequirement(r)}; ${r.type === 'row_count' ? 'counts rows' : 'selects failing rows'}\n${ruleSql(r, checked)}`,
  );
  return { relation: 'view', statements: [checkedView(at.nodeName, checked), ...rules] };
}
