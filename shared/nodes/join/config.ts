import { z } from 'zod';
import { quoteIdent } from '../common';
import {
  columnList, columnName, expectInputs, fragmentLines, inputRef, isBlank, sameName, selectList, sqlFragment, wrapFragment,
} from '../lowcode-sql';

export const joinType = z.enum(['inner', 'left', 'right', 'full', 'semi', 'anti']);
export type JoinType = z.infer<typeof joinType>;

export const joinPair = z.strictObject({
  left: columnName.describe('Left column — a column of the left (first) input'),
  right: columnName.describe('Right column — a column of the right (second) input'),
});

/**
 * Joins its two inputs: the first is the left side, the second the right; in SQL each is
 * referred to by its node name, which is also what the extra condition uses.
 */
export const joinConfig = z
  .strictObject({
    type: joinType
      .default('inner')
      .describe(
        'Join type — inner: matching rows only; left / right / full: also unmatched rows of that side (NULLs for the other); ' +
          'semi: left rows that have a match; anti: left rows that have none',
      ),
    on: z.array(joinPair).default([]).describe('Match on — pairs of columns that must be equal'),
    condition: sqlFragment
      .optional()
      .describe('Extra condition — SQL over both inputs, referred to by their names (e.g. assays.measured_at >= batches.started_at)'),
    select: z
      .enum(['all', 'left'])
      .default('all')
      .describe('Output columns — all: both sides (a right key of the same name as its left key appears once); left: only the left input\'s'),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.on.length === 0 && isBlank(cfg.condition)) {
      ctx.addIssue({ code: 'custom', path: ['on'], message: 'expected at least one pair of columns to match on, or a condition' });
    }
  });
export type JoinConfig = z.output<typeof joinConfig>;

const JOIN_KEYWORD: Record<JoinType, string> = {
  inner: 'INNER JOIN',
  left: 'LEFT JOIN',
  right: 'RIGHT JOIN',
  full: 'FULL JOIN',
  semi: 'SEMI JOIN',
  anti: 'ANTI JOIN',
};

/** The output columns: `left.*` and, with select all, `right.*` less the keys it shares with the left. */
function joinSelect(config: JoinConfig, l: string, r: string): string[] {
  // SEMI and ANTI joins only ever give the left side's columns.
  if (config.select === 'left' || config.type === 'semi' || config.type === 'anti') return [`SELECT ${l}.*`];
  // Key pairs of one name (case-insensitive, as DuckDB compares names), each name once.
  const shared = config.on
    .filter((p) => sameName(p.left, p.right))
    .filter((p, i, all) => all.findIndex((q) => sameName(q.left, p.left)) === i);
  if (!shared.length) return selectList([[`${l}.*`], [`${r}.*`]]);
  const keys = (pick: (p: { left: string; right: string }) => string) => columnList(shared.map(pick));
  // Where only the right side matched (right and full joins), the shared key comes from it.
  const left =
    config.type === 'right' || config.type === 'full'
      ? `${l}.* REPLACE (${shared.map((p) => `coalesce(${l}.${quoteIdent(p.left)}, ${r}.${quoteIdent(p.right)}) AS ${quoteIdent(p.left)}`).join(', ')})`
      : `${l}.*`;
  return selectList([[left], [`${r}.* EXCLUDE (${keys((p) => p.right)})`]]);
}

/**
 * `FROM left <TYPE> JOIN right ON left."a" = right."b" AND (extra condition)`, one
 * condition a line. A right key named like its left key is left out of `select: all`
 * (for right and full joins the left key is filled from the right where the left is missing).
 */
export function joinSql(config: JoinConfig, inputNames: readonly string[]): string[] {
  const [leftName, rightName] = expectInputs('join', inputNames, 2, 2);
  const l = inputRef(leftName!);
  const r = inputRef(rightName!);
  const conditions: string[][] = config.on.map((p) => [`${l}.${quoteIdent(p.left)} = ${r}.${quoteIdent(p.right)}`]);
  if (!isBlank(config.condition)) {
    const extra = fragmentLines(config.condition!);
    // Parenthesised next to key pairs, so an OR in it cannot loosen them.
    conditions.push(conditions.length ? wrapFragment('(', extra, ')') : extra);
  }
  const on: string[] = [];
  conditions.forEach((cond, i) => {
    const lead = i === 0 ? 'ON ' : 'AND ';
    cond.forEach((line, j) => on.push(j === 0 ? `  ${lead}${line}` : line === '' ? '' : `  ${' '.repeat(lead.length)}${line}`));
  });
  return [...joinSelect(config, l, r), `FROM ${l}`, `${JOIN_KEYWORD[config.type]} ${r}`, ...on];
}
