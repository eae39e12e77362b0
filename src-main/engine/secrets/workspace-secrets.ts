import type { WorkspaceFile } from '../../../shared/workspace/schema';
import { replaceSecretRefs, secretRefNames } from '../../../shared/connections/secret-refs';
import { deriveSecret } from './derived';
import { SECRET_VARIABLES, processSecrets } from './process-secrets';
import { Redactor, type SecretLookup } from './redactor';

/**
 * A registry of every value a workspace's connections could resolve to (every `${env:NAME}`
 * of every environment, where a lookup has it, and what is derived from it) and the
 * credential variables: for showing what an older run wrote (`weir audit show`) without a run
 * to learn the values from. The lookups are the engine context's and the process's
 * environment's, as a run's.
 */
export function workspaceRedactor(file: WorkspaceFile, ...lookups: SecretLookup[]): Redactor {
  const r = new Redactor(processSecrets());
  const names = new Set<string>(SECRET_VARIABLES);
  const texts: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const n of secretRefNames(v)) names.add(n);
      texts.push(v);
    }
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(file.environments);
  for (const name of names) {
    for (const lookup of lookups) r.remember(lookup(name));
  }
  // And the values derived from them (`${sha1:env:NAME}`), as each lookup would give them.
  for (const lookup of lookups) {
    for (const t of texts) {
      replaceSecretRefs(t, (ref) => {
        const values = ref.names.map(lookup);
        if (ref.transform !== 'plain' && values.every((v) => v !== undefined)) r.remember(deriveSecret(ref, values as string[]));
        return '';
      });
    }
  }
  return r;
}
