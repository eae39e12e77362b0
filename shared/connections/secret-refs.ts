/**
 * Secret references: `${env:NAME}`, and a small closed set of values derived from them, for
 * APIs that want a secret transformed rather than as it is (Nightscout's `api-secret` header
 * is the SHA-1 of the secret):
 *
 *   ${env:NAME}                  the value itself
 *   ${sha1:env:NAME}             its SHA-1, hex
 *   ${sha256:env:NAME}           its SHA-256, hex
 *   ${base64:env:NAME}           its base64
 *   ${basic:env:USER,env:PASS}   `Basic <base64(user:password)>`, a whole Authorization value
 *
 * The set is closed on purpose: a file names a transform, it cannot bring code. The engine
 * computes the value (engine/secrets/derived.ts) and masks both the secret and what it sent.
 */

const NAME = '[A-Za-z_][A-Za-z0-9_]*';

/** Groups: 1 transform (absent: the value itself), 2 name; or 3 user name and 4 password name of `basic`. */
export const SECRET_REF = new RegExp(`\\$\\{(?:(sha1|sha256|base64):)?env:(${NAME})\\}|\\$\\{basic:env:(${NAME}),env:(${NAME})\\}`, 'g');

export type SecretTransform = 'plain' | 'sha1' | 'sha256' | 'base64' | 'basic';

export interface SecretRef {
  transform: SecretTransform;
  /** The variables it reads: one, or user and password for `basic`. */
  names: string[];
}

function refOf(m: RegExpMatchArray | RegExpExecArray): SecretRef {
  if (m[3] !== undefined) return { transform: 'basic', names: [m[3], m[4]!] };
  return { transform: (m[1] as SecretTransform | undefined) ?? 'plain', names: [m[2]!] };
}

/** True when a value holds a secret reference of any form. */
export function hasSecretRef(value: string): boolean {
  return new RegExp(SECRET_REF.source).test(value);
}

/** True when a value is exactly one secret reference (what a field declared secret must hold). */
export function isSecretRef(value: unknown): boolean {
  return typeof value === 'string' && new RegExp(`^(?:${SECRET_REF.source})$`).test(value);
}

/** The variables a value's references read, in order, once each. */
export function secretRefNames(value: string): string[] {
  const names = new Set<string>();
  for (const m of value.matchAll(new RegExp(SECRET_REF.source, 'g'))) for (const n of refOf(m).names) names.add(n);
  return [...names];
}

/** `value` with every reference replaced by what `fill` makes of it (one pass: what it returns is never read again). */
export function replaceSecretRefs(value: string, fill: (ref: SecretRef) => string): string {
  return value.replace(new RegExp(SECRET_REF.source, 'g'), (...m: unknown[]) => fill(refOf(m as unknown as RegExpExecArray)));
}
