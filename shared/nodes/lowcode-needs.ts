import type { z } from 'zod';
import type { Need } from './form-needs';

/** A value the user gave: not absent, not blank text, not an empty list (a list's default). */
function given(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/**
 * Checks an object against the form's needs table of its deciding field (form-needs.ts), so the
 * form (which shows and requires fields by the same table) and the validation cannot disagree:
 * a required field missing, or a field given that the chosen value does not use, is an issue
 * at that field, saying what the value is.
 */
export function checkNeeds(
  obj: Readonly<Record<string, unknown>>,
  by: string,
  needs: Readonly<Record<string, Readonly<Record<string, Need>>>>,
  ctx: z.RefinementCtx,
  at: (string | number)[] = [],
): void {
  const value = obj[by];
  const of = typeof value === 'string' ? needs[value] : undefined;
  if (!of) return;
  for (const [field, need] of Object.entries(of)) {
    const label = field.replace(/_/g, ' ');
    if (need === 'required' && !given(obj[field])) ctx.addIssue({ code: 'custom', path: [...at, field], message: `expected ${label} with ${by} "${value}"` });
    if (need === 'hidden' && given(obj[field])) ctx.addIssue({ code: 'custom', path: [...at, field], message: `${label} is not used with ${by} "${value}"` });
  }
}
