import { resolveEnvRefs, type EnvLookup } from './env-refs';

/** Shorter values are not masked: replacing "1" or "on" everywhere would garble a message. */
const MIN_SECRET_LENGTH = 3;

export const processEnv: EnvLookup = (n) => process.env[n];

/** How a value may appear in a URL or message: as is, and percent- or form-encoded. */
function shownForms(value: string): string[] {
  const forms = new Set([value]);
  const encoders: ((v: string) => string)[] = [
    encodeURIComponent,
    encodeURI,
    (v) => new URLSearchParams([['', v]]).toString().slice(1),
  ];
  // How the URL parser itself encodes it in a path segment or a query (it leaves some characters as they are).
  if (!/[/?#\\]/.test(value)) {
    encoders.push((v) => new URL(`http://h/${v}`).pathname.slice(1), (v) => new URL(`http://h/?${v}`).search.slice(1));
  }
  for (const encode of encoders) {
    try {
      forms.add(encode(value));
    } catch {
      // A lone surrogate cannot be encoded; it cannot appear encoded either.
    }
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/**
 * The secret values a request was built from, so that nothing shown or recorded (URLs in
 * the run record, error messages, hence the audit log and OpenLineage) holds one in clear.
 *
 * Every value looked up through `remembering(...)` counts as a secret, with one exception:
 * a value that is itself an http(s) URL (`base_url: "${env:API_URL}"`) says where the API is,
 * and stays visible but for its user info and query values, which are remembered instead.
 */
export class SecretValues {
  private readonly values = new Set<string>();
  /** Query parameters whose values came from secrets: masked whatever their length. */
  private readonly params = new Set<string>();

  /** A lookup that remembers what it returns. */
  remembering(lookup: EnvLookup): EnvLookup {
    return (name) => {
      const v = lookup(name);
      if (v !== undefined) this.remember(v);
      return v;
    };
  }

  /** Resolves `${env:NAME}` in `text`, remembering the values. */
  resolve(text: string, who: string, lookup: EnvLookup = processEnv): string {
    return resolveEnvRefs(text, who, this.remembering(lookup));
  }

  remember(value: string): void {
    const url = absoluteHttpUrl(value);
    if (!url) {
      for (const f of shownForms(value)) this.values.add(f);
      return;
    }
    const parts = [url.username, url.password, url.hash.slice(1), ...url.searchParams.values()];
    for (const p of parts) {
      let decoded = p;
      try {
        decoded = decodeURIComponent(p);
      } catch {
        // Not percent-encoded text: keep it as it is.
      }
      for (const f of new Set([...shownForms(p), ...shownForms(decoded)])) this.values.add(f);
    }
  }

  markParam(name: string): void {
    this.params.add(name);
  }

  /** `text` with every remembered value replaced by `***`. */
  redact(text: string): string {
    // Longest first: a secret that contains another is masked whole.
    const values = [...this.values].sort((a, b) => b.length - a.length);
    let out = text;
    for (const v of values) out = out.split(v).join('***');
    return out;
  }

  /** A URL as it may appear in a message or a run record: no user info, secret values masked. */
  showUrl(url: URL): string {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    const pairs = [...u.searchParams];
    const secret = ([name, value]: [string, string]) => this.params.has(name) || this.redact(value) !== value;
    if (pairs.some(secret)) u.search = new URLSearchParams(pairs.map((p): [string, string] => (secret(p) ? [p[0], '***'] : p))).toString();
    return this.redact(u.toString());
  }
}

function absoluteHttpUrl(value: string): URL | null {
  if (!/^https?:\/\//i.test(value.trim())) return null;
  try {
    return new URL(value.trim());
  } catch {
    return null;
  }
}
