import { WeirError } from '../../../../shared/errors';
import type { HttpSourceConfig } from '../../../../shared/nodes/http-source';
import { hasEnvRef } from '../../http/env-refs';
import { processEnv, SecretValues } from '../../http/redact';
import type { RunContext } from '../types';

export interface RequestPlan {
  url: URL;
  headers: Record<string, string>;
  /** Every secret value the request was built from: masked in whatever is shown or recorded. */
  secrets: SecretValues;
  who: string;
}

function join(base: string, path: string): string {
  if (!path) return base;
  if (/^https?:\/\//i.test(path)) return path;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/**
 * The first request of an http source: the connection's base URL and headers, then the
 * node's own url, headers and query. `${env:NAME}` values come from the run's secrets (the
 * keychain in the desktop app), then the environment; each one is remembered so that it
 * never shows in a URL or message.
 */
export function requestPlan(ctx: RunContext<HttpSourceConfig>): RequestPlan {
  const c = ctx.config;
  const secrets = new SecretValues();
  const lookup = (n: string) => ctx.secrets?.(n) ?? process.env[n];
  let base = '';
  let headers: Record<string, string> = {};
  let who = `node "${ctx.node.name}"`;
  if (c.connection) {
    // The same lookup the run would use for the connection, recording what it returns.
    const spec = ctx.connection(c.connection, secrets.remembering(ctx.secrets ?? processEnv));
    if (spec.kind !== 'http') throw new WeirError('invalid', `connection "${c.connection}" is a ${spec.kind} connection; an http source needs an http connection`);
    base = spec.base_url;
    headers = { ...spec.headers };
    who = `connection "${c.connection}"`;
  }
  for (const [k, v] of Object.entries(c.headers)) headers[k] = secrets.resolve(v, who, lookup);
  const raw = join(base, secrets.resolve(c.url, who, lookup));
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WeirError('invalid', `${who}: bad URL "${hasEnvRef(c.url) ? c.url : secrets.redact(raw)}"`);
  }
  if (!/^https?:$/.test(url.protocol)) throw new WeirError('invalid', `${who}: expected an http or https URL, got ${url.protocol}`);
  for (const [k, v] of Object.entries(c.query)) {
    const text = String(v);
    if (hasEnvRef(text)) secrets.markParam(k);
    url.searchParams.set(k, secrets.resolve(text, who, lookup));
  }
  return { url, headers, secrets, who };
}
