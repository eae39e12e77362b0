import { WeirError } from '../../../../shared/errors';
import type { HttpSourceConfig } from '../../../../shared/nodes/http-source';
import { hasEnvRef, resolveEnvRefs } from '../../http/env-refs';
import type { RunContext } from '../types';

export interface RequestPlan {
  url: URL;
  headers: Record<string, string>;
  secretParams: Set<string>;
  who: string;
}

function join(base: string, path: string): string {
  if (!path) return base;
  if (/^https?:\/\//i.test(path)) return path;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/**
 * The first request of an http source: the connection's base URL and headers (secrets
 * already resolved by the run), then the node's own url, headers and query, whose
 * `${env:NAME}` values are resolved here from the environment.
 */
export function requestPlan(ctx: RunContext<HttpSourceConfig>): RequestPlan {
  const c = ctx.config;
  let base = '';
  let headers: Record<string, string> = {};
  let who = `node "${ctx.node.name}"`;
  if (c.connection) {
    const spec = ctx.connection(c.connection);
    if (spec.kind !== 'http') throw new WeirError('invalid', `connection "${c.connection}" is a ${spec.kind} connection; an http source needs an http connection`);
    base = spec.base_url;
    headers = { ...spec.headers };
    who = `connection "${c.connection}"`;
  }
  for (const [k, v] of Object.entries(c.headers)) headers[k] = resolveEnvRefs(v, who);
  const raw = join(base, resolveEnvRefs(c.url, who));
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WeirError('invalid', `${who}: bad URL "${hasEnvRef(c.url) ? c.url : raw}"`);
  }
  if (!/^https?:$/.test(url.protocol)) throw new WeirError('invalid', `${who}: expected an http or https URL, got ${url.protocol}`);
  const secretParams = new Set<string>();
  for (const [k, v] of Object.entries(c.query)) {
    const text = String(v);
    if (hasEnvRef(text)) secretParams.add(k);
    url.searchParams.set(k, resolveEnvRefs(text, who));
  }
  return { url, headers, secretParams, who };
}
