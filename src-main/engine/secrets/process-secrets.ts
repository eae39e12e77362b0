import { Redactor } from './redactor';

/**
 * The process's registry. Runs and connection tests remember into it through their own, so
 * that a shell's last-resort error printer (the CLI's `weir: ...` line) masks every value
 * resolved in the process, whichever code path the error took to get there.
 */
const root = new Redactor();

export function processSecrets(): Redactor {
  return root;
}

/**
 * Variables Weir (or a library it drives) reads as credentials without a `${env:...}` in
 * sight: libpq's password, the AWS chain's secret key and session token, and OpenLineage's
 * endpoint (it may carry `?api_key=` or user info) and key.
 */
export const SECRET_VARIABLES = ['PGPASSWORD', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'WEIR_OPENLINEAGE_URL', 'OPENLINEAGE_URL', 'OPENLINEAGE_ENDPOINT', 'OPENLINEAGE_API_KEY'] as const;

