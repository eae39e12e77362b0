import { resolveSecretRefs } from './derived';
import { MASK, formsOf } from './forms';

export type SecretLookup = (name: string) => string | undefined;

/** Where a value sits in a JSON document: keys and array indexes from the root. */
export type JsonPath = readonly (string | number)[];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The secret values a run (or a connection test) resolved, in every form they can take, and
 * the one function that masks them in text: what leaves the process (messages, events, run
 * records, audit entries, reports, lineage events) goes through `mask`.
 *
 * A registry may have a parent: what it remembers, the parent remembers too, and it masks
 * with its parent's values as well. A run's registry is a child of the process's, so the
 * CLI's last-resort error printer knows every value any run resolved.
 */
export class Redactor {
  /** Form → what replaces it. */
  private readonly forms = new Map<string, string>();
  private version = 0;
  private compiled: { stamp: string; pattern: RegExp | null; table: Map<string, string> } | null = null;

  constructor(readonly parent: Redactor | null = null) {}

  /** Remembers a resolved value (empty and absent values are ignored). */
  remember(value: string | null | undefined): void {
    if (typeof value !== 'string' || value === '') return;
    for (const [text, replacement] of formsOf(value)) {
      if (this.forms.has(text)) continue;
      this.forms.set(text, replacement);
      this.version++;
    }
    this.parent?.remember(value);
  }

  /** A lookup that remembers every value it returns. */
  remembering(lookup: SecretLookup): SecretLookup {
    return (name) => {
      const v = lookup(name);
      this.remember(v);
      return v;
    };
  }

  /**
   * Fills in `${env:NAME}` (and the values derived from it, `${sha1:env:NAME}`...: see
   * shared/connections/secret-refs.ts) through `lookup`, remembering the values and what was
   * derived from them; an unset one fails naming `who`.
   */
  resolve(text: string, who: string, lookup: SecretLookup): string {
    return resolveSecretRefs(text, { who, lookup, remember: this });
  }

  /** Whether `text` holds a remembered value. */
  holdsSecret(text: string): boolean {
    return this.mask(text) !== text;
  }

  /** `text` with every remembered value replaced (`***`, or `origin/***` for a URL). */
  mask(text: string): string {
    if (!text) return text;
    const { pattern, table } = this.compile();
    if (!pattern) return text;
    return text.replace(pattern, (m) => table.get(m) ?? MASK);
  }

  /** Masks an error's message and stack in place (the stack repeats the message) and returns it. */
  maskError<E>(e: E): E {
    if (e instanceof Error) {
      const message = this.mask(e.message);
      const stack = e.stack === undefined ? undefined : this.mask(e.stack);
      if (message !== e.message) e.message = message;
      if (stack !== e.stack) e.stack = stack;
    }
    return e;
  }

  /**
   * A copy of a JSON value with every string (and object key) masked, except at the paths
   * `keep` names: identities that never come from a resolved value (ids, hashes, times),
   * which a coincidence with a short secret must not garble.
   */
  maskJson<T>(value: T, keep: (path: JsonPath) => boolean = () => false): T {
    const walk = (v: unknown, path: (string | number)[]): unknown => {
      if (typeof v === 'string') return keep(path) ? v : this.mask(v);
      if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
      if (v !== null && typeof v === 'object') {
        return Object.fromEntries(
          Object.entries(v as Record<string, unknown>).map(([k, x]) => {
            const at = [...path, k];
            return [keep(at) ? k : this.mask(k), walk(x, at)];
          }),
        );
      }
      return v;
    };
    return walk(value, []) as T;
  }

  private stamp(): string {
    return `${this.version}/${this.parent?.stamp() ?? ''}`;
  }

  private table(): Map<string, string> {
    const all = new Map(this.parent?.table() ?? []);
    for (const [k, v] of this.forms) if (!all.has(k)) all.set(k, v);
    return all;
  }

  /** One alternation, longest first: where two values overlap, the longer is masked whole. */
  private compile(): { pattern: RegExp | null; table: Map<string, string> } {
    const stamp = this.stamp();
    if (this.compiled?.stamp === stamp) return this.compiled;
    const table = this.table();
    const texts = [...table.keys()].sort((a, b) => b.length - a.length);
    this.compiled = { stamp, table, pattern: texts.length ? new RegExp(texts.map(escapeRegExp).join('|'), 'g') : null };
    return this.compiled;
  }
}
