import { WeirError } from '../../../../shared/errors';
import { TEMPLATE } from '../../../../shared/nodes/http-source';
import type { ParamValue } from '../../../../shared/pipeline/params';
import type { SecretValues } from '../../http/redact';
import type { SecretLookup } from '../../secrets/redactor';

/** A value a dependent source asks for: from its input's column. */
export type InputValue = string | number | boolean;

/** What the texts of a request are filled in with. */
export interface Fill {
  params: Readonly<Record<string, ParamValue>>;
  /** The for_each value this request is for. */
  input?: { column: string; value: InputValue };
  secrets: SecretValues;
  who: string;
  lookup: SecretLookup;
}

function templateValue(f: Fill, scope: string, name: string): ParamValue {
  if (scope === 'params') {
    if (!Object.hasOwn(f.params, name)) throw new WeirError('invalid', `${f.who}: {{ params.${name} }} names no parameter of the pipeline`);
    return f.params[name]!;
  }
  if (!f.input || f.input.column !== name) throw new WeirError('invalid', `${f.who}: {{ input.${name} }} has no value here (for_each names the column)`);
  return f.input.value;
}

/**
 * Fills in a text of the request in one pass: `{{ params.name }}` and `{{ input.column }}` by
 * their values (through `encode`, for where they land), `${env:...}` references in the rest of
 * the text by their secrets. A value is never read again, so a parameter given on the command
 * line cannot name a secret (`--param x='${env:AWS_SECRET_ACCESS_KEY}'` stays that text).
 */
export function fillText(text: string, f: Fill, encode: (value: string) => string, secrets = true): string {
  const rest = (t: string) => (secrets ? f.secrets.resolve(t, f.who, f.lookup) : t);
  let out = '';
  let at = 0;
  for (const m of text.matchAll(new RegExp(TEMPLATE.source, 'g'))) {
    out += rest(text.slice(at, m.index));
    out += encode(String(templateValue(f, m[1]!, m[2]!)));
    at = m.index + m[0].length;
  }
  return out + rest(text.slice(at));
}

/** A value in a URL's path or query as written in `url`: percent-encoded, and never a `.` or `..` segment. */
export function urlPart(who: string): (value: string) => string {
  return (value) => {
    if (value === '.' || value === '..') throw new WeirError('node', `${who}: "${value}" cannot be put in a URL (it would change the path)`);
    return encodeURIComponent(value);
  };
}

/** A header value: as it is, on one line. */
export function headerPart(who: string): (value: string) => string {
  return (value) => {
    if (/[\r\n\0]/.test(value)) throw new WeirError('node', `${who}: a value with a line break cannot be put in a header`);
    return value;
  };
}

const asIs = (value: string) => value;
export { asIs as queryPart };

/**
 * A JSON body with its templates filled in; a string that is one template and nothing else takes
 * the value with its type (`"{{ params.limit }}"` becomes the number 500). Secret references are
 * left as written, as before: a body follows a 307 redirect wherever it leads, so it carries no
 * credential (those go in the connection's headers).
 */
export function fillBody(value: unknown, f: Fill): unknown {
  if (typeof value === 'string') {
    const whole = new RegExp(`^${TEMPLATE.source}$`).exec(value);
    if (whole) return templateValue(f, whole[1]!, whole[2]!);
    return fillText(value, f, asIs, false);
  }
  if (Array.isArray(value)) return value.map((v) => fillBody(v, f));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [fillText(k, f, asIs, false), fillBody(v, f)]));
  }
  return value;
}
