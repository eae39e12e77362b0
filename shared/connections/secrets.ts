import { connectionKind } from './kinds';
import { isSecretRef } from './secret-refs';

/**
 * What a connection holds in clear that its kind declares a credential: a secret field, or a
 * secret entry (an Authorization header) that is not a `${env:NAME}` reference (or a value derived
 * from one, `${sha1:env:NAME}`: shared/connections/secret-refs.ts). One phrase each,
 * e.g. `password must be a ${env:NAME} reference`; empty when the spec may be written as is.
 */
export function secretsInClear(spec: Readonly<Record<string, unknown>>): string[] {
  const kind = connectionKind(spec.kind);
  if (!kind) return [];
  const out: string[] = [];
  for (const f of kind.secrets) {
    const v = spec[f];
    if (v !== undefined && v !== '' && !isSecretRef(v)) out.push(`${f} must be a \${env:NAME} reference`);
  }
  const entries = kind.secretEntries;
  const record = entries ? spec[entries.field] : undefined;
  if (entries && record && typeof record === 'object') {
    for (const [name, v] of Object.entries(record)) {
      if (entries.names.test(name) && !isSecretRef(v)) out.push(`${entries.noun} "${name}" carries a credential and must be a \${env:NAME} reference`);
    }
  }
  return out;
}

/** True when an entry of a kind's secret-entries field (a header name) carries a credential. */
export function isSecretEntry(kind: unknown, name: string): boolean {
  return connectionKind(kind)?.secretEntries?.names.test(name) ?? false;
}
