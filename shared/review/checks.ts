import type { ReviewCheck } from './schema';

export interface CheckOutcome {
  rule: string;
  passed: boolean;
  failingRows: number;
}

/** One check node's rules, base vs head, matched by rule name; the headline is what newly fails. */
export function compareChecks(node: string, base: readonly CheckOutcome[] | null, head: readonly CheckOutcome[] | null): ReviewCheck[] {
  const names = [...new Set([...(base ?? []).map((c) => c.rule), ...(head ?? []).map((c) => c.rule)])];
  return names.map((rule) => {
    const b = base?.find((c) => c.rule === rule) ?? null;
    const h = head?.find((c) => c.rule === rule) ?? null;
    const side = (c: CheckOutcome | null) => (c ? { passed: c.passed, failingRows: c.failingRows } : null);
    const change: ReviewCheck['change'] = !b
      ? 'added'
      : !h
        ? 'removed'
        : b.passed && !h.passed
          ? 'newly_failing'
          : !b.passed && h.passed
            ? 'newly_passing'
            : h.passed
              ? 'still_passing'
              : 'still_failing';
    return { rule, node, base: side(b), head: side(h), change };
  });
}
