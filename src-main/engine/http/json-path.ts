import { WeirError } from '../../../shared/errors';

export type Step = string | number;

/**
 * A small JSON path: `data.items`, `$.data.items`, `results[0].rows`, `meta["next page"]`.
 * Enough to point at the records and the next cursor in an API's response.
 */
export function parseJsonPath(path: string): Step[] {
  let rest = path.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  const steps: Step[] = [];
  const token = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[(?:"([^"]*)"|'([^']*)')\])/;
  while (rest.length) {
    const m = token.exec(rest);
    if (!m) throw new WeirError('invalid', `bad JSON path "${path}" near "${rest}"`);
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push(m[3] ?? m[4] ?? '');
    rest = rest.slice(m[0].length);
  }
  return steps;
}

/** The value at a path, or undefined where the path leads nowhere. */
export function valueAt(doc: unknown, steps: readonly Step[]): unknown {
  let cur: unknown = doc;
  for (const s of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}
