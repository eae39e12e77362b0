/**
 * Which fields of an object a form shows, and which it requires, decided by the value of one
 * of its fields: an aggregate's function (`avg` reads a column and nothing else; `string_agg`
 * may take an order and a separator), a file's format (only CSV has CSV options). Declared
 * once by the kind (define.ts, `form.needs`) and read by the form, and by the kind's own
 * validation where it says what a value needs, so the two cannot disagree.
 */

/** What a field is to a value of the deciding field: asked for, allowed, or not used at all. */
export type Need = 'required' | 'optional' | 'hidden';

export interface FieldNeeds {
  /** The field whose value decides (`fn`, `format`). */
  by: string;
  /**
   * Per value of `by`, the need of each field it decides (fields left out of a value's entry,
   * and every field for a value left out, are as the schema says).
   */
  needs: Readonly<Record<string, Readonly<Record<string, Need>>>>;
}

/** By object path: `''` for the config itself, `aggregates[]` for every item of a list. */
export type FormNeeds = Readonly<Record<string, FieldNeeds>>;

/** The need of field `key` of `obj` (found at `objectPath`, in `[]` form), or undefined where nothing is declared. */
export function needOf(needs: FormNeeds | undefined, objectPath: string, obj: Readonly<Record<string, unknown>>, key: string): Need | undefined {
  const rule = needs?.[objectPath];
  if (!rule) return undefined;
  const value = obj[rule.by];
  return typeof value === 'string' ? rule.needs[value]?.[key] : undefined;
}

/**
 * `obj` after its deciding field changed to `obj[by]`: the fields the new value does not use
 * are dropped (an `avg` keeps no separator from the `string_agg` it was), so a change of
 * function or format never leaves a field the form no longer shows holding a value.
 */
export function dropHidden(needs: FormNeeds | undefined, objectPath: string, obj: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const rule = needs?.[objectPath];
  const value = rule ? obj[rule.by] : undefined;
  const of = rule && typeof value === 'string' ? rule.needs[value] : undefined;
  if (!of) return { ...obj };
  return Object.fromEntries(Object.entries(obj).filter(([k]) => of[k] !== 'hidden'));
}
