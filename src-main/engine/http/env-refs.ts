import { hasSecretRef } from '../../../shared/connections/secret-refs';

export type EnvLookup = (name: string) => string | undefined;

/** True when a value names a secret (`${env:NAME}`, or a value derived from one such as `${sha1:env:NAME}`): such values are never shown. */
export function hasEnvRef(value: string): boolean {
  return hasSecretRef(value);
}
