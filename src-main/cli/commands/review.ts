import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WeirError } from '../../../shared/errors';
import { renderReviewHtml } from '../../../shared/review/report-html';
import { formatReview } from '../../../shared/review/report-text';
import type { ReviewReport } from '../../../shared/review/schema';
import { writeFileAtomic } from '../../engine';
import { parse, parseParamPairs } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_OK, UsageError } from '../support/exit-codes';
import { cancelOnSignal } from '../support/signals';
import { safeJson, safeLine, safeLines } from '../support/terminal-text';

/** Breaking changes found (or, with --fail-on any, any impact): CI stops the merge. */
export const EXIT_REVIEW_FINDINGS = 3;

const USAGE =
  'weir review [FILE] [--base REV] [--head REV | --worktree] [--key NODE=COL[,COL...]]... [--json] [--html OUT] [--fail-on breaking|any|none] [--allow-current-inputs] [--param NAME=VALUE]... [--env NAME]';
const DETAILS = [
  'What a change to a pipeline does to its data: the nodes it changes and everything',
  'downstream, each breaking (a column removed or retyped, rows that may change) or not',
  '(only added columns), with schema, row count, profile, value and check diffs computed',
  'over the inputs of the base version\'s latest successful run. Unchanged nodes are not computed.',
  '',
  'options:',
  '      --base REV              the version before the change (default HEAD)',
  '      --head REV              the version after it (default: the working copy)',
  '      --worktree              the working copy as head (the default, said explicitly)',
  '      --key NODE=COL,...      the key to match rows of NODE by (default: a unique check\'s columns)',
  '      --json                  the report as JSON (schema/weir.review.v1.schema.json) on stdout',
  '      --html OUT              also write a self-contained HTML report to OUT',
  '      --fail-on WHAT          breaking (default): exit 3 on a breaking change; any: on any',
  '                              impact; none: exit 0 whatever is found',
  '      --allow-current-inputs  when the base run\'s inputs are gone or changed (and not in the',
  '                              node cache), or no base run exists, use the current inputs',
  '  -p, --param NAME=VALUE      a parameter value for both versions (repeatable)',
  '  -e, --env NAME              the workspace environment whose connections to use',
  '',
  'FILE: the pipeline file; without it, the one *.weir.json in the current folder or its pipelines/.',
  '',
  'exit codes: 0 no breaking change, 3 breaking change found (see --fail-on), 1 the review',
  'failed (e.g. no base run), 2 bad usage, 130 / 143 cancelled by Ctrl-C / SIGTERM',
].join('\n');

/** `--key batch_release=batch_id --key kpis=site,product`. */
export function parseKeys(pairs: readonly string[] | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    const cols = eq > 0 ? pair.slice(eq + 1).split(',').map((c) => c.trim()) : [];
    if (eq <= 0 || !cols.length || cols.some((c) => !c)) throw new UsageError(`--key expects NODE=COLUMN[,COLUMN...], got "${pair}"\nusage: ${USAGE}`);
    out[pair.slice(0, eq)] = cols;
  }
  return out;
}

function defaultFile(): string {
  const found = ['.', 'pipelines'].flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.weir.json')).map((f) => join(d, f)) : []));
  if (found.length === 1) return found[0]!;
  throw new UsageError(`${found.length ? `${found.length} pipeline files here` : 'no pipeline file here'}: name the one to review\nusage: ${USAGE}`);
}

export function exitFor(report: ReviewReport, failOn: string): number {
  const v = report.summary.verdict;
  if (failOn === 'none') return EXIT_OK;
  if (v === 'breaking' || (failOn === 'any' && v === 'non_breaking')) return EXIT_REVIEW_FINDINGS;
  return EXIT_OK;
}

export async function reviewCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      base: { type: 'string' },
      head: { type: 'string' },
      worktree: { type: 'boolean' },
      key: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      html: { type: 'string' },
      'fail-on': { type: 'string' },
      'allow-current-inputs': { type: 'boolean' },
      param: { type: 'string', multiple: true, short: 'p' },
      env: { type: 'string', short: 'e' },
      debug: { type: 'boolean' },
    },
    USAGE,
    DETAILS,
  );
  if (positionals.length > 1) throw new UsageError(`expected at most one pipeline file\nusage: ${USAGE}`);
  if (values.head !== undefined && values.worktree) throw new UsageError(`--head and --worktree both name the head: give one\nusage: ${USAGE}`);
  const failOn = (values['fail-on'] as string | undefined) ?? 'breaking';
  if (!['breaking', 'any', 'none'].includes(failOn)) throw new UsageError(`--fail-on expects breaking, any or none, got "${failOn}"\nusage: ${USAGE}`);
  const keys = parseKeys(values.key as string[] | undefined);
  const file = resolve((positionals[0] as string | undefined) ?? defaultFile());
  const signal = cancelOnSignal();
  const report = await cliEngine().review({
    file,
    base: values.base as string | undefined,
    head: (values.head as string | undefined) ?? null,
    keys,
    allowCurrentInputs: Boolean(values['allow-current-inputs']),
    environment: values.env as string | undefined,
    params: parseParamPairs(values.param as string[] | undefined),
    signal,
    onProgress: process.stderr.isTTY && !values.json ? (p) => process.stderr.write(`\r\x1b[K${p.phase}${p.node ? ` ${safeLine(p.node)}` : ''} ${p.done}/${p.total}`) : undefined,
  });
  if (process.stderr.isTTY && !values.json) process.stderr.write('\r\x1b[K');
  if (signal.aborted) throw new WeirError('cancelled', 'the review was cancelled');
  if (values.html) await writeFileAtomic(resolve(values.html as string), renderReviewHtml(report));
  process.stdout.write(values.json ? safeJson(report, 2) + '\n' : safeLines(formatReview(report)));
  return exitFor(report, failOn);
}
