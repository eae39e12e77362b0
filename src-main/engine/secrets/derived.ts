import { createHash } from 'node:crypto';
import { WeirError } from '../../../shared/errors';
import { replaceSecretRefs, type SecretRef } from '../../../shared/connections/secret-refs';
import type { Redactor, SecretLookup } from './redactor';

/** The value a reference stands for, from the values of the variables it names. */
export function deriveSecret(ref: SecretRef, values: readonly string[]): string {
  const [first = '', second = ''] = values;
  switch (ref.transform) {
    case 'plain':
      return first;
    case 'sha1':
      return createHash('sha1').update(first, 'utf8').digest('hex');
    case 'sha256':
      return createHash('sha256').update(first, 'utf8').digest('hex');
    case 'base64':
      return Buffer.from(first, 'utf8').toString('base64');
    case 'basic':
      return `Basic ${Buffer.from(`${first}:${second}`, 'utf8').toString('base64')}`;
  }
}

export interface ResolveOptions {
  /** Names whoever needs the value, in the error for an unset variable: `connection "api"`. */
  who: string;
  lookup: SecretLookup;
  /**
   * Where the values are remembered as secrets: the variables' values and the derived value
   * actually sent, so each is masked wherever it would be shown. Null leaves a plain value
   * unremembered (a location that must stay readable, such as a PostgreSQL host); a derived
   * value is remembered in `fallback` then, since it is always a credential.
   */
  remember: Redactor | null;
  fallback?: Redactor;
}

/** Fills in every secret reference of `text` (one pass: a value that looks like a reference is not read again). */
export function resolveSecretRefs(text: string, o: ResolveOptions): string {
  return replaceSecretRefs(text, (ref) => {
    const values = ref.names.map((name) => {
      const v = o.lookup(name);
      if (v === undefined) throw new WeirError('connection', `${o.who}: environment variable ${name} is not set`);
      return v;
    });
    const derived = deriveSecret(ref, values);
    const into = o.remember ?? (ref.transform === 'plain' ? null : (o.fallback ?? null));
    if (into) {
      for (const v of values) into.remember(v);
      into.remember(derived);
    }
    return derived;
  });
}
