import { WeirError } from '../../../shared/errors';
import { processSecrets } from '../../engine';
import { parse, onePositional, parseParamPairs } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_OK, UsageError } from '../support/exit-codes';
import { jsonLines, terminalProgress } from '../support/progress';
import { confirmProtectedRun } from '../support/protected-env';
import { cancelOnSignal, holdExit } from '../support/signals';
import { safeJson, safeLine } from '../support/terminal-text';
import { parseShard } from '../../../shared/pipeline/partitions';
import type { LotOutcome, LotSelection } from '../../engine';

const USAGE =
  'weir run FILE [--param NAME=VALUE]... [--select EXPR] [--env NAME] [--yes] [--json] [--no-cache] [--count-views] [--hash-views] [--hash-tables] [--no-record] [--publish all|partial] [--reason TEXT] [--partitions changed|all|K1,K2 | --partition KEY] [--shard I/N] [--lot-concurrency N]';
const DETAILS = [
  'Runs the pipeline in one DuckDB session, publishes its sinks and writes a run record',
  '(<workspace>/.weir/runs) and an audit log entry. Before touching data it makes the same',
  'checks as `weir validate` (with the same --env and --param).',
  '',
  'options:',
  '  -p, --param NAME=VALUE     a parameter value (repeatable); the file gives the defaults',
  '  -s, --select EXPR          only some nodes: name, +name (with upstream), name+ (with downstream)',
  '  -e, --env NAME             the workspace environment whose connections to use',
  '  -y, --yes                  run against a protected environment without asking (a terminal',
  '                             asks first; without one, as under cron or CI, nothing is asked)',
  '      --json                 progress as JSON lines on stdout',
  '      --no-cache             compute every node again',
  "      --count-views          count views' rows in the record (computes each view once more)",
  "      --hash-views           hash views' rows too in the record (computes each view once more)",
  "      --hash-tables          hash intermediate tables' rows too (outputs and inputs always are)",
  '      --no-record            write no run record and no audit entry',
  '      --publish all|partial  all (default): sinks publish only if every node and blocking check',
  '                             succeeded; partial: healthy branches publish when another failed',
  '      --concurrency N        independent nodes run N at a time (default 2)',
  '      --reason TEXT          why this run is made, kept in its run record (signers.json may',
  '                             require one: "requireRunReason": "protected" or "always")',
  '',
  'partitioned pipelines (docs/lots.md): each lot runs, checks and publishes on its own',
  '      --partitions WHICH     changed (default: new, changed and failed lots), all, or K1,K2',
  '      --partition KEY        one lot',
  '      --shard I/N            only the lots worker I of N takes (0-based; FNV-1a of the lot',
  '                             value mod N), e.g. I = $JOB_COMPLETION_INDEX',
  '      --lot-concurrency N    lots run N at a time in this process, each in its own session',
  '                             (default 2, at most 16)',
  '',
  'exit codes: 0 succeeded, 1 a node or a blocking check failed, 2 bad usage or an invalid',
  'file (nothing ran), 130 / 143 cancelled by Ctrl-C / SIGTERM (a second signal stops at once)',
].join('\n');

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      param: { type: 'string', multiple: true, short: 'p' },
      select: { type: 'string', short: 's' },
      env: { type: 'string', short: 'e' },
      yes: { type: 'boolean', short: 'y' },
      json: { type: 'boolean' },
      'no-record': { type: 'boolean' },
      'no-cache': { type: 'boolean' },
      'hash-views': { type: 'boolean' },
      'count-views': { type: 'boolean' },
      'hash-tables': { type: 'boolean' },
      publish: { type: 'string' },
      concurrency: { type: 'string' },
      reason: { type: 'string' },
      debug: { type: 'boolean' },
      partitions: { type: 'string' },
      partition: { type: 'string' },
      shard: { type: 'string' },
      'lot-concurrency': { type: 'string' },
    },
    USAGE,
    DETAILS,
  );
  const file = onePositional(positionals, USAGE);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw new UsageError(`--concurrency expects a whole number from 1, got "${values.concurrency}"\nusage: ${USAGE}`);
  }
  const lotConcurrency = values['lot-concurrency'] === undefined ? undefined : Number(values['lot-concurrency']);
  if (lotConcurrency !== undefined && (!Number.isInteger(lotConcurrency) || lotConcurrency < 1 || lotConcurrency > 16)) {
    throw new UsageError(`--lot-concurrency expects a whole number from 1 to 16, got "${values['lot-concurrency']}"\nusage: ${USAGE}`);
  }
  const publish = values.publish as string | undefined;
  if (publish !== undefined && publish !== 'all' && publish !== 'partial') {
    throw new WeirError('usage', `--publish expects all or partial, got "${publish}"\nusage: ${USAGE}`);
  }
  const lots = lotSelection(values.partitions as string | undefined, values.partition as string | undefined, values.shard as string | undefined);
  await confirmProtectedRun(file, values.env as string | undefined, Boolean(values.yes));
  const progress = values.json ? jsonLines(process.stdout) : terminalProgress(process.stdout);
  // From here a Ctrl-C or SIGTERM cancels the run cleanly (DuckDB interrupted, publishes
  // rolled back, a record written) instead of ending the process; a second one ends it
  // (signals.ts, which has handled them since the process started).
  const signal = cancelOnSignal();
  const outcome = await cliEngine().run({
    file,
    params: parseParamPairs(values.param as string[] | undefined),
    select: (values.select as string | undefined) ?? null,
    environment: values.env as string | undefined,
    signal,
    onEvent: (e) => progress.event(e),
    recordDir: values['no-record'] ? null : undefined,
    concurrency,
    useCache: !values['no-cache'],
    hashViews: Boolean(values['hash-views']),
    countViews: Boolean(values['count-views']),
    hashTables: Boolean(values['hash-tables']),
    publish,
    reason: values.reason as string | undefined,
    // A second Ctrl-C while sinks are being published waits for the commit in progress.
    holdExit,
    ...(lots ? { lots } : {}),
    ...(lotConcurrency !== undefined ? { lotConcurrency } : {}),
  });
  if (outcome.lots) reportLots(outcome.lots, Boolean(values.json), outcome.nothingToRun);
  if (outcome.status === 'succeeded') return EXIT_OK;
  const message = processSecrets().mask(outcome.error?.message ?? `run ${outcome.status}`);
  if (values.json) process.stdout.write(safeJson({ type: 'error', message }) + '\n');
  throw new WeirError(outcome.status === 'cancelled' ? 'cancelled' : 'node', message);
}

/** `--partitions`, `--partition` and `--shard` as the engine takes them; checked here (exit 2). */
function lotSelection(partitions: string | undefined, partition: string | undefined, shard: string | undefined): LotSelection | null {
  if (partitions !== undefined && partition !== undefined) throw new UsageError(`give --partitions or --partition, not both\nusage: ${USAGE}`);
  const out: LotSelection = {};
  if (partition !== undefined) {
    if (!partition.trim() || partition.includes(',')) throw new UsageError(`--partition expects one lot value, got "${partition}"`);
    out.partitions = [partition.trim()];
  } else if (partitions === 'changed' || partitions === 'all') out.partitions = partitions;
  else if (partitions !== undefined) {
    const list = partitions.split(',').map((k) => k.trim()).filter(Boolean);
    if (!list.length) throw new UsageError(`--partitions expects changed, all or a list of lot values, got "${partitions}"`);
    out.partitions = list;
  }
  if (shard !== undefined) {
    const s = parseShard(shard);
    if (!s) throw new UsageError(`--shard expects I/N with 0 <= I < N (e.g. 0/4), got "${shard}"`);
    out.shard = s;
  }
  return Object.keys(out).length ? out : null;
}

/** One line per lot: its value, outcome, run id and record (a JSON line with every lot under --json). */
function reportLots(lots: readonly LotOutcome[], json: boolean, nothing: string | undefined): void {
  if (json) {
    process.stdout.write(safeJson({ type: 'lots', lots, ...(nothing ? { nothingToRun: nothing } : {}) }) + '\n');
    return;
  }
  if (!lots.length) {
    // Not "every lot is up to date" when the sources list none (a fresh copy of the template).
    process.stdout.write(safeLine(`no lot to run: ${nothing ?? 'every lot is up to date'}`) + '\n');
    return;
  }
  for (const l of lots) process.stdout.write(safeLine(`lot ${l.key}: ${l.outcome} (run ${l.runId}, ${l.inputs.length} input(s))${l.error ? `: ${l.error}` : ''}`) + '\n');
}
