import type { RunEvent } from '../../../shared/run/events';
import { maskRunEvent } from './mask-run';
import { SECRET_VARIABLES, processSecrets } from './process-secrets';
import { Redactor, type SecretLookup } from './redactor';

/**
 * A run's registry, a child of the process's, that already holds the values of
 * SECRET_VARIABLES as the run's lookup (the keychain in the desktop) and the process
 * environment give them.
 */
export function runRedactor(lookup?: SecretLookup): Redactor {
  const r = new Redactor(processSecrets());
  for (const name of SECRET_VARIABLES) {
    r.remember(lookup?.(name));
    r.remember(process.env[name]);
  }
  return r;
}

export interface RunSecrets {
  redactor: Redactor;
  /**
   * `${env:NAME}` for the run: the shell's lookup (the keychain) first, then the environment.
   * It does not remember: what resolves a value knows what it is and remembers it
   * (resolveConnection every connection value but a PostgreSQL host and port; the http
   * source its own url, headers and query), into the process's registry this one masks with.
   */
  lookup: SecretLookup;
  /** The shell's event callback, given masked events (undefined when the shell gave none). */
  onEvent: ((e: RunEvent) => void) | undefined;
}

/** What runPipelineFile needs to keep a run's secrets in: made once, as the run starts. */
export function runSecrets(req: { redactor?: Redactor; secrets?: SecretLookup; onEvent?: (e: RunEvent) => void }): RunSecrets {
  const redactor = req.redactor ?? runRedactor(req.secrets);
  const shell = req.onEvent;
  return {
    redactor,
    lookup: (n) => req.secrets?.(n) ?? process.env[n],
    onEvent: shell && ((e) => shell(maskRunEvent(redactor, e))),
  };
}
