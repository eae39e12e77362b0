import type { CheckRule } from './config';

function show(v: string | number | boolean): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}

/** `1 failing row`, `1,204 failing rows`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** What the rule demands, in words a reviewer reads: `viability_pct in [70, 100]`. */
export function ruleRequirement(rule: CheckRule): string {
  const scope = 'where' in rule && rule.where ? ` (where ${rule.where})` : '';
  switch (rule.type) {
    case 'not_null':
      return `${rule.column} is not null${scope}`;
    case 'unique':
      return `${rule.columns.length > 1 ? `(${rule.columns.join(', ')})` : rule.columns[0]} is unique${scope}`;
    case 'accepted_values':
      return `${rule.column} in (${rule.values.map(show).join(', ')})${scope}`;
    case 'range': {
      if (rule.min !== undefined && rule.max !== undefined) {
        const [open, close] = rule.inclusive ? ['[', ']'] : ['(', ')'];
        return `${rule.column} in ${open}${show(rule.min)}, ${show(rule.max)}${close}${scope}`;
      }
      if (rule.min !== undefined) return `${rule.column} ${rule.inclusive ? '>=' : '>'} ${show(rule.min)}${scope}`;
      return `${rule.column} ${rule.inclusive ? '<=' : '<'} ${show(rule.max!)}${scope}`;
    }
    case 'row_count': {
      const parts = [rule.min !== undefined ? `at least ${rule.min}` : '', rule.max !== undefined ? `at most ${rule.max}` : ''].filter(Boolean);
      return `row count ${parts.join(' and ')}${scope}`;
    }
    case 'relationship':
      return `every ${rule.column} exists in ${rule.to}.${rule.field}${scope}`;
    case 'regex':
      return `${rule.column} matches /${rule.pattern}/${scope}`;
    case 'expression':
      return `${rule.expression}${scope}`;
    case 'query':
      return 'the query returns no rows';
  }
}

/** One line for the run log and the report: the outcome and what was required. */
export function ruleMessage(rule: CheckRule, failing: number, observedRows?: number): string {
  if (rule.type === 'row_count') {
    return failing ? `row count ${observedRows ?? '?'}, expected ${ruleRequirement(rule).replace(/^row count /, '')}` : `row count ${observedRows ?? '?'}: ok`;
  }
  if (!failing) return `ok: ${ruleRequirement(rule)}`;
  return `${plural(failing, 'failing row')}: expected ${ruleRequirement(rule)}`;
}
