import { canonicalJson } from '../../../shared/canonical-json';
import { WeirError } from '../../../shared/errors';
import type { HttpPagination } from '../../../shared/nodes/http-source';
import { parseJsonPath, valueAt, type Step } from './json-path';

type Keyset = Extract<HttpPagination, { type: 'keyset' }>;

/** Numbers, and ISO dates (`2026-01-01T00:05:00Z`) as times: what can be ordered with confidence. */
function orderable(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\d/.test(v)) {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

function sendable(v: unknown): v is string | number {
  return (typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v));
}

/**
 * Keyset (seek) paging: the next request asks for records beyond the last record's `field`.
 * With an inclusive operator (`lte`, `gte`) the boundary value is asked again, so that records
 * sharing it across two pages are not lost, and the ones already read are dropped by `key`.
 * The guards: a record beyond the boundary in the wrong direction (the API ignores the
 * parameter), a full page whose last record has no value, and a next request that would be the
 * same as this one (more records share one value than a page holds) fail the node.
 */
export class KeysetPager {
  private readonly field: Step[];
  private readonly key: Step[][];
  private readonly inclusive: boolean;
  private readonly descending: boolean;
  /** The value the current request was sent with (none for the first request). */
  private boundary: string | number | null = null;
  /** Keys of the records read so far whose field equals the boundary. */
  private seenAtBoundary = new Set<string>();

  constructor(
    private readonly p: Keyset,
    private readonly who: string,
  ) {
    this.field = parseJsonPath(p.field);
    this.key = (p.key ?? []).map(parseJsonPath);
    this.inclusive = p.operator === 'lte' || p.operator === 'gte';
    this.descending = p.operator === 'lt' || p.operator === 'lte';
  }

  private keyOf(record: unknown): string {
    return canonicalJson(this.key.map((k) => valueAt(record, k) ?? null));
  }

  private isBoundary(record: unknown): boolean {
    const v = valueAt(record, this.field);
    return this.boundary !== null && v !== undefined && String(v) === String(this.boundary);
  }

  /** The records of a page that were not read before, after checking they are beyond the boundary. */
  fresh(records: readonly unknown[], shownUrl: string): unknown[] {
    const b = this.boundary === null ? null : orderable(this.boundary);
    if (b !== null) {
      for (const r of records) {
        const v = orderable(valueAt(r, this.field));
        if (v === null) continue;
        const wrong = this.descending ? v > b || (!this.inclusive && v === b) : v < b || (!this.inclusive && v === b);
        if (wrong) {
          throw new WeirError(
            'node',
            `${this.who}: ${shownUrl} answered a record with ${this.p.field} = ${JSON.stringify(valueAt(r, this.field))}, not ${this.p.operator} ${JSON.stringify(this.boundary)}: the API does not seem to take "${this.p.param}"`,
          );
        }
      }
    }
    if (!this.inclusive || this.boundary === null) return [...records];
    return records.filter((r) => !(this.isBoundary(r) && this.seenAtBoundary.has(this.keyOf(r))));
  }

  /**
   * The value the next request is sent with, or null when this page was the last (empty, or
   * shorter than the page size). `records` is the whole page as the API answered it.
   */
  next(records: readonly unknown[], shownUrl: string): string | number | null {
    if (records.length < this.p.size) return null;
    const last = valueAt(records[records.length - 1], this.field);
    if (!sendable(last)) {
      throw new WeirError(
        'node',
        `${this.who}: the last record of ${shownUrl} (a full page of ${records.length}) has no ${this.p.field} to ask for the next page with (got ${JSON.stringify(last ?? null)})`,
      );
    }
    if (this.boundary !== null && String(last) === String(this.boundary)) {
      throw new WeirError(
        'node',
        `${this.who}: every record of ${shownUrl} has ${this.p.field} = ${JSON.stringify(last)}, so the next page would be this one again: more records share that value than a page of ${this.p.size} holds (raise size)`,
      );
    }
    this.boundary = last;
    this.seenAtBoundary = new Set(records.filter((r) => this.isBoundary(r)).map((r) => this.keyOf(r)));
    return last;
  }
}
