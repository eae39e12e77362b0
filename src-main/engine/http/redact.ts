import { MASK } from '../secrets/forms';
import { processSecrets } from '../secrets/process-secrets';
import { Redactor } from '../secrets/redactor';

/**
 * The secret values a request was built from (a child of the process's registry, so a run's
 * registry masks them too), and how a URL is shown: every value looked up through
 * `remembering(...)` or `resolve(...)` is a secret, whole or in part (see secrets/forms.ts).
 */
export class SecretValues extends Redactor {
  /** Query parameters whose values came from secrets: masked whatever their length. */
  private readonly params = new Set<string>();

  constructor(parent: Redactor | null = processSecrets()) {
    super(parent);
  }

  markParam(name: string): void {
    this.params.add(name);
  }

  /** Whether a query parameter's value is a secret (marked, or a remembered value). */
  isSecretParam(name: string, value: string): boolean {
    return this.params.has(name) || this.holdsSecret(value);
  }

  /** `text` with every remembered value masked. */
  redact(text: string): string {
    return this.mask(text);
  }

  /** A URL as it may appear in a message or a run record: no user info, secret values masked. */
  showUrl(url: URL): string {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    const pairs = [...u.searchParams];
    const secret = ([name, value]: [string, string]) => this.isSecretParam(name, value);
    if (pairs.some(secret)) u.search = new URLSearchParams(pairs.map((p): [string, string] => (secret(p) ? [p[0], MASK] : p))).toString();
    return this.mask(u.toString());
  }
}
