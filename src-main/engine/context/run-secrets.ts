import type { RunEvent } from '../../../shared/run/events';
import { maskRunEvent } from '../secrets/mask-run';
import { SECRET_VARIABLES, processSecrets } from '../secrets/process-secrets';
import { Redactor, type SecretLookup } from '../secrets/redactor';
import { lookupWith, processLookup, type EngineContext } from './index';

// A run's secrets are read through the context's lookups, so they live beside it: secrets/
// holds the registry itself, below storage (the S3 client remembers what it reads).

/**
 * A run's registry, a child of the process's, that already holds the values of
 * SECRET_VARIABLES as each lookup gives them: the run's (the keychain first in the desktop)
 * and the process's environment's (libraries read credentials there on their own).
 */
export function runRedactor(...lookups: (SecretLookup | undefined)[]): Redactor {
  const r = new Redactor(processSecrets());
  for (const name of SECRET_VARIABLES) {
    for (const lookup of lookups) r.remember(lookup?.(name));
  }
  return r;
}

export interface RunSecrets {
  redactor: Redactor;
  /**
   * `${env:NAME}` for the run: the request's own lookup first, then the engine context's (the
   * keychain, then the environment, in the desktop).
   * It does not remember: what resolves a value knows what it is and remembers it
   * (resolveConnection every connection value but a PostgreSQL host and port; the http
   * source its own url, headers and query), into the process's registry this one masks with.
   */
  lookup: SecretLookup;
  /** The shell's event callback, given masked events (undefined when the shell gave none). */
  onEvent: ((e: RunEvent) => void) | undefined;
}

/** What runPipelineFile needs to keep a run's secrets in: made once, as the run starts. */
export function runSecrets(
  req: { redactor?: Redactor; secrets?: SecretLookup; onEvent?: (e: RunEvent) => void },
  engine: Pick<EngineContext, 'env' | 'processEnv'>,
): RunSecrets {
  const lookup = lookupWith(engine, req.secrets);
  const redactor = req.redactor ?? runRedactor(lookup, processLookup(engine));
  const shell = req.onEvent;
  return {
    redactor,
    lookup,
    onEvent: shell && ((e) => shell(maskRunEvent(redactor, e))),
  };
}
