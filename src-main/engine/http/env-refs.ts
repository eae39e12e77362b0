import { WeirError } from '../../../shared/errors';
import { ENV_REF } from '../../../shared/workspace/schema';

export type EnvLookup = (name: string) => string | undefined;

/** True when a value names a secret (`${env:NAME}`): such values are never shown. */
export function hasEnvRef(value: string): boolean {
  return new RegExp(ENV_REF.source).test(value);
}

/** Fills in `${env:NAME}`; an unset variable fails with a message naming who needs it. */
export function resolveEnvRefs(value: string, who: string, lookup: EnvLookup): string {
  return value.replace(new RegExp(ENV_REF.source, 'g'), (_, name: string) => {
    const v = lookup(name);
    if (v === undefined) throw new WeirError('connection', `${who}: environment variable ${name} is not set`);
    return v;
  });
}
