import { WeirError } from '../../../shared/errors';

export const EXIT_OK = 0;
/** The pipeline ran and a node failed (or a blocking check, or a cancel). */
export const EXIT_FAILED = 1;
/** Bad usage, or an invalid or missing file: nothing ran. */
export const EXIT_USAGE = 2;

export function exitCodeFor(err: unknown): number {
  if (err instanceof WeirError) {
    return err.kind === 'usage' || err.kind === 'invalid' ? EXIT_USAGE : EXIT_FAILED;
  }
  return EXIT_FAILED;
}

export class UsageError extends WeirError {
  constructor(message: string) {
    super('usage', message);
  }
}
