import { WeirError } from '../../../shared/errors';
import { runPipelineFile } from '../../engine/run/run-pipeline';
import { processSecrets } from '../../engine/secrets/process-secrets';
import { parse, onePositional, parseParamPairs } from '../args';
import { EXIT_OK } from '../exit-codes';
import { jsonLines, terminalProgress } from '../progress';

const USAGE = 'weir run FILE [--param NAME=VALUE]... [--select EXPR] [--env NAME] [--json] [--no-cache] [--hash-views] [--no-record]';

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      param: { type: 'string', multiple: true, short: 'p' },
      select: { type: 'string', short: 's' },
      env: { type: 'string', short: 'e' },
      json: { type: 'boolean' },
      'no-record': { type: 'boolean' },
      'no-cache': { type: 'boolean' },
      'hash-views': { type: 'boolean' },
      concurrency: { type: 'string' },
      debug: { type: 'boolean' },
    },
    USAGE,
  );
  const file = onePositional(positionals, USAGE);
  const progress = values.json ? jsonLines(process.stdout) : terminalProgress(process.stdout);
  const controller = new AbortController();
  // First Ctrl-C cancels cleanly (interrupt DuckDB, roll back publishes); a second one exits.
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcome = await runPipelineFile({
      file,
      params: parseParamPairs(values.param as string[] | undefined),
      select: (values.select as string | undefined) ?? null,
      environment: values.env as string | undefined,
      signal: controller.signal,
      onEvent: (e) => progress.event(e),
      recordDir: values['no-record'] ? null : undefined,
      concurrency: values.concurrency ? Number(values.concurrency) : undefined,
      useCache: !values['no-cache'],
      hashViews: Boolean(values['hash-views']),
    });
    if (outcome.status === 'succeeded') return EXIT_OK;
    const message = processSecrets().mask(outcome.error?.message ?? `run ${outcome.status}`);
    if (values.json) process.stdout.write(JSON.stringify({ type: 'error', message }) + '\n');
    throw new WeirError(outcome.status === 'cancelled' ? 'cancelled' : 'node', message);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
