import { canonicalJson } from '../../../shared/canonical-json';
import { WeirError } from '../../../shared/errors';
import type { HttpWatermark } from '../../../shared/nodes/http-source';
import { parseJsonPath, valueAt, type Step } from './json-path';

export type MarkValue = string | number;

/** What an http source keeps between runs: the cursor, and what it is a cursor of (another field or parameter starts again). */
export interface KeptMark {
  scope: string;
  value: MarkValue;
}

const ISO_DATE = /^\d{4}-\d\d-\d\d/;

/** The scope a kept value belongs to: changing the field or the parameter starts again from `initial`. */
export function markScope(w: HttpWatermark): string {
  return canonicalJson({ field: w.field, param: w.param });
}

/**
 * A value an API answered, as a message quotes it: JSON (so a newline stays one line) and cut at
 * 60 characters, since an answer's cursor or field can be megabytes and messages go into run
 * records and the audit log.
 */
export function quoted(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 60)}… (${text.length} characters)` : text;
}

/**
 * Whether `a` comes after `b`: numbers by value, ISO dates as times (`2026-01-01T00:05:00Z` and
 * `2026-01-01T00:05:00.000+00:00` are the same instant), other text as text (ids should then be
 * zero-padded). A number against text cannot be ordered: the node fails, naming the field.
 */
export function isAfter(a: MarkValue, b: MarkValue, field: string, who: string): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a > b;
  if (typeof a === 'string' && typeof b === 'string') {
    if (ISO_DATE.test(a) && ISO_DATE.test(b)) {
      const ta = Date.parse(a);
      const tb = Date.parse(b);
      if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return ta > tb;
    }
    return a > b;
  }
  throw new WeirError('node', `${who}: watermark field "${field}" holds both numbers and text (${quoted(a)}, ${quoted(b)}): cannot tell which is larger`);
}

/** The kept value of an http source, when it is one for this watermark; anything else kept is refused in words. */
export function keptMark(kept: unknown, w: HttpWatermark, who: string, where: string): MarkValue | null {
  if (kept === null || kept === undefined) return null;
  const k = kept as Partial<KeptMark>;
  if (typeof k !== 'object' || typeof k.scope !== 'string' || !(typeof k.value === 'string' || (typeof k.value === 'number' && Number.isFinite(k.value)))) {
    throw new WeirError('node', `${who}: the kept watermark ${where} is not one (delete it to start again from watermark.initial)`);
  }
  return k.scope === markScope(w) ? k.value : null;
}

/** The largest value of the watermark's field over the records seen, starting from the value sent. */
export class MarkTracker {
  private readonly path: Step[];
  private max: MarkValue | null;

  constructor(
    private readonly w: HttpWatermark,
    private readonly who: string,
    start: MarkValue | null,
  ) {
    this.path = parseJsonPath(w.field);
    this.max = start;
  }

  /** Records without the field (or with null) are passed over; a value that is neither text nor a number fails the node. */
  see(records: readonly unknown[]): void {
    for (const r of records) {
      const v = valueAt(r, this.path);
      if (v === undefined || v === null || v === '') continue;
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
        throw new WeirError('node', `${this.who}: watermark field "${this.w.field}" holds ${quoted(v)}, not a number or text`);
      }
      if (this.max === null || isAfter(v, this.max, this.w.field, this.who)) this.max = v;
    }
  }

  get value(): MarkValue | null {
    return this.max;
  }
}
