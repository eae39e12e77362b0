import { onePositional, parse } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_OK, UsageError } from '../support/exit-codes';
import { safeJson, safeLine } from '../support/terminal-text';

const USAGE = 'weir history FILE [--max-count N] [--json]';

/** The commits that touched a pipeline, newest first; feed a commit to `weir diff FILE --from`. */
export async function historyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { 'max-count': { type: 'string', short: 'n' }, json: { type: 'boolean' }, debug: { type: 'boolean' } },
    USAGE,
  );
  const file = onePositional(positionals, USAGE);
  const limit = values['max-count'] === undefined ? undefined : Number(values['max-count']);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError(`--max-count expects a positive whole number\nusage: ${USAGE}`);
  const entries = await cliEngine().git.history(file, { limit });
  if (values.json) {
    process.stdout.write(safeJson({ file, commits: entries }) + '\n');
    return EXIT_OK;
  }
  if (!entries.length) {
    process.stdout.write(`${safeLine(file)}: no commits yet\n`);
    return EXIT_OK;
  }
  for (const e of entries) {
    const when = e.date.replace('T', ' ').slice(0, 16);
    process.stdout.write(safeLine(`${e.shortCommit}  ${when}  ${e.author.name}  ${e.subject}`) + '\n');
  }
  return EXIT_OK;
}
