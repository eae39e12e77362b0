import { httpConnectionKind } from '../../../../shared/connections/http';
import { WeirError } from '../../../../shared/errors';
import { networkErrorCode } from '../../storage/retry';
import { defineConnectionRuntime } from '../define';
import { httpBase } from './base';

/** An HTTP API: the test asks a GET of its base URL, headers sent, redirects not followed. */
export const httpConnectionRuntime = defineConnectionRuntime(httpConnectionKind, {
  provides: 'http',
  client: async (name, spec) => httpBase(name, spec),
  async test({ name, spec, signal }) {
    const { url, shown, headers } = httpBase(name, spec);
    let res: Response;
    try {
      // Not followed: a redirect may lead to another origin, which must not get the headers.
      res = await fetch(url, { method: 'GET', headers: { accept: 'application/json', ...headers }, signal, redirect: 'manual' });
    } catch (e) {
      if (signal.aborted) throw e;
      const code = networkErrorCode(e);
      throw new WeirError('connection', `connection "${name}": cannot reach ${shown} (${code ?? (e as Error).message})`);
    }
    await res.body?.cancel().catch(() => undefined);
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    if (location) {
      const to = new URL(location, url);
      const where = to.origin === url.origin ? 'its own origin' : `${to.origin}, another origin (a run refuses it unless the connection sets "cross_origin")`;
      return `${shown} answered HTTP ${res.status}, a redirect to ${where}; not followed by the test`;
    }
    if (res.status === 401 || res.status === 403) {
      throw new WeirError('connection', `connection "${name}": ${shown} refused access (HTTP ${res.status} ${res.statusText}); check the headers`);
    }
    if (res.status >= 500) throw new WeirError('connection', `connection "${name}": ${shown} answered HTTP ${res.status} ${res.statusText}`);
    // A base URL that is not itself a resource (404, 405) still proves the server is there and
    // does not refuse us; the nodes add their own paths to it.
    if (res.status >= 400 && res.status !== 404 && res.status !== 405) {
      throw new WeirError('connection', `connection "${name}": ${shown} answered HTTP ${res.status} ${res.statusText}`);
    }
    return `${shown} answered HTTP ${res.status}${res.status >= 400 ? ' (the server is reachable; the base URL is not a resource itself)' : ''}`;
  },
});
