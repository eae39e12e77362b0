import type { HttpSourceConfig } from '../../../../shared/nodes/http-source';
import { hasEnvRef } from '../../http/env-refs';

/**
 * Where a pipeline file may put `${env:NAME}` (a secret from the machine that runs it): only in
 * an http source that goes through a connection, whose origin the workspace declares, and
 * then only to that origin. Without the rule a pipeline file could name any variable of the
 * server (a cloud key, a database password) and send it to a host of its choosing.
 * Returns the reason a config breaks the rule, or null.
 */
export function secretPolicyProblem(c: HttpSourceConfig): string | null {
  const texts = [c.url, ...Object.values(c.headers), ...Object.values(c.query).map(String), c.body === undefined ? '' : JSON.stringify(c.body)];
  const named = texts.some(hasEnvRef);
  if (named && !c.connection) {
    return '${env:...} may be used only through a connection (the workspace declares where its secrets may go): give the node a connection, or move the secret into the connection';
  }
  // Headers and query values stay with the connection's origin (http/credential-scope.ts); a
  // url is the request itself, so one that names a secret must be relative to base_url.
  if (hasEnvRef(c.url) && /^[a-z][a-z0-9+.-]*:/i.test(c.url.trim())) {
    return 'a url that holds ${env:...} must be a path relative to the connection\'s base_url';
  }
  return null;
}
