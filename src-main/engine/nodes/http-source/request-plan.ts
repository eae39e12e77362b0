import { WeirError } from '../../../../shared/errors';
import type { HttpSourceConfig } from '../../../../shared/nodes/http-source';
import { CredentialScope } from '../../http/credential-scope';
import { hasEnvRef } from '../../http/env-refs';
import { SecretValues } from '../../http/redact';
import type { MarkValue } from '../../http/watermark';
import type { RunContext } from '../types';
import { fillBody, fillText, headerPart, queryPart, urlPart, type Fill, type InputValue } from './fill';
import { secretPolicyProblem } from './secret-policy';

export interface RequestPlan {
  url: URL;
  /** Where the headers (credentials) may be sent: the connection's origin. */
  scope: CredentialScope;
  /** Every secret value the request was built from: masked in whatever is shown or recorded. */
  secrets: SecretValues;
  who: string;
  /** The JSON body, templates filled in. */
  body: unknown;
  /** Every header value as sent to the connection's origin, and the resolved base URL: what the page cache keys its pages' credentials by. */
  credentials: { headers: Record<string, string>; base: string };
}

function join(base: string, path: string): string {
  if (!path) return base;
  if (/^https?:\/\//i.test(path)) return path;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function httpUrl(text: string): URL | null {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

/** Who an http source's messages name: its connection, or the node without one. */
export function whoOf(ctx: Pick<RunContext<HttpSourceConfig>, 'config' | 'node'>): string {
  return ctx.config.connection ? `connection "${ctx.config.connection}"` : `node "${ctx.node.name}"`;
}

/**
 * The first request of an http source: the connection's base URL and headers, then the
 * node's own url, headers and query. `${env:NAME}` values come from the run's lookup (the
 * keychain, then the environment, in the desktop app); each one is remembered so that it
 * never shows in a URL or message. User info in the URL becomes Basic auth (fetch refuses
 * URLs that carry it). The credentials belong to the connection's origin (the url's without
 * a connection): see CredentialScope. `{{ params.name }}` and, for a dependent source, the
 * value `input` it asks for are filled in (fill.ts).
 */
export function requestPlan(ctx: RunContext<HttpSourceConfig>, input?: InputValue, mark?: MarkValue | null): RequestPlan {
  const c = ctx.config;
  const refused = secretPolicyProblem(c);
  if (refused) throw new WeirError('invalid', `node "${ctx.node.name}": ${refused}`);
  const secrets = new SecretValues();
  const lookup = ctx.secrets;
  let base = '';
  let headers: Record<string, string> = {};
  let who = `node "${ctx.node.name}"`;
  let crossOrigin = c.cross_origin;
  if (c.connection) {
    // The same lookup the run would use for the connection, recording what it returns.
    const spec = ctx.connection(c.connection, secrets.remembering(ctx.secrets));
    if (spec.kind !== 'http') throw new WeirError('invalid', `connection "${c.connection}" is a ${spec.kind} connection; an http source needs an http connection`);
    base = spec.base_url;
    headers = { ...spec.headers };
    who = `connection "${c.connection}"`;
    crossOrigin ??= spec.cross_origin;
  }
  const fill: Fill = {
    params: ctx.params ?? {},
    ...(input !== undefined && c.for_each ? { input: { column: c.for_each.column, value: input } } : {}),
    secrets,
    who,
    lookup,
  };
  for (const [k, v] of Object.entries(c.headers)) headers[k] = fillText(v, fill, headerPart(who));
  const raw = join(base, fillText(c.url, fill, urlPart(who)));
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
    url.searchParams.set(k, fillText(text, fill, queryPart));
  }
  // The watermark: a value an API answered earlier, sent as it is (percent-encoded by URL).
  if (c.watermark && mark !== undefined && mark !== null) url.searchParams.set(c.watermark.param, String(mark));
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    secrets.remember(user);
    secrets.remember(password);
    const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    secrets.remember(basic);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) headers.authorization = basic;
    url.username = '';
    url.password = '';
  }
  // The origin the credentials belong to: the connection's base URL, else the url itself.
  const home = (c.connection && httpUrl(base)) || url;
  const body = c.body === undefined ? undefined : fillBody(c.body, fill);
  return {
    url,
    scope: new CredentialScope(home, headers, crossOrigin ?? 'refuse', secrets, who),
    secrets,
    who,
    body,
    credentials: { headers: { ...headers }, base },
  };
}
