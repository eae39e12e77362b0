/**
 * Errors that reach a user. `kind` decides the CLI exit code (see src-main/cli/support/exit-codes.ts)
 * and lets every shell show the same one-line message.
 */
export type WeirErrorKind =
  | 'usage' // bad command line
  | 'invalid' // the pipeline or workspace file is missing, malformed or inconsistent
  | 'node' // a node failed while running
  | 'connection' // an S3, PostgreSQL or HTTP endpoint could not be used
  | 'cancelled'
  | 'stale' // a request named a document revision the warm preview session no longer holds: send the whole document
  | 'internal';

export class WeirError extends Error {
  constructor(
    readonly kind: WeirErrorKind,
    message: string,
    readonly details: { nodeId?: string; nodeName?: string; line?: number; column?: number } = {},
  ) {
    super(message);
    this.name = 'WeirError';
  }
}

export interface ValidationIssue {
  /** JSON path such as `nodes[2].config.path`; empty for the whole file. */
  path: string;
  message: string;
}

export class PipelineInvalidError extends WeirError {
  /**
   * `message` replaces the default one line (`<source> at <path>: <message>`), e.g. by one
   * that names the node and field in words; `details` names the node the first issue is about.
   */
  constructor(
    readonly source: string,
    readonly issues: ValidationIssue[],
    message?: string,
    details: WeirError['details'] = {},
  ) {
    super('invalid', message ?? formatIssues(source, issues), details);
    this.name = 'PipelineInvalidError';
  }
}

function formatIssues(source: string, issues: ValidationIssue[]): string {
  const first = issues[0];
  if (!first) return `${source}: invalid`;
  const where = first.path ? ` at ${first.path}` : '';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `${source}${where}: ${first.message}${more}`;
}

export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}
