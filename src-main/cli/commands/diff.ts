import { formatPipelineDiff } from '../../../shared/pipeline/semantic-diff-text';
import { diffPipelineFiles, type PipelineDiffResult, type VersionSide } from '../../engine';
import { parse } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_OK, UsageError } from '../support/exit-codes';
import { safeColoredLines, safeJson, safeLines } from '../support/terminal-text';

const USAGE = 'weir diff A.weir.json B.weir.json | weir diff FILE [--from REV [--to REV]] [--json] [--context N]';

/**
 * A reviewer's diff of a pipeline: nodes added, removed, renamed and changed, SQL line by
 * line, layout apart. Exits 0 whether or not anything changed (it reports, it does not judge).
 */
export async function diffCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      context: { type: 'string', short: 'U' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      debug: { type: 'boolean' },
    },
    USAGE,
  );
  const context = values.context === undefined ? 3 : Number(values.context);
  if (!Number.isInteger(context) || context < 0) throw new UsageError(`--context expects a whole number of lines, got "${values.context}"\nusage: ${USAGE}`);
  const from = values.from as string | undefined;
  const to = values.to as string | undefined;
  let result: PipelineDiffResult;
  if (positionals.length === 2) {
    if (from || to) throw new UsageError(`--from/--to compare one file between revisions; give one file with them\nusage: ${USAGE}`);
    result = await diffPipelineFiles(positionals[0] as string, positionals[1] as string, { context });
  } else if (positionals.length === 1) {
    const file = positionals[0] as string;
    if (to && !from) throw new UsageError(`--to needs --from\nusage: ${USAGE}`);
    result = from ? await cliEngine().git.diffRevisions(file, from, to ?? null, { context }) : await cliEngine().git.diffWorkingCopy(file, { context });
  } else {
    throw new UsageError(`expected one or two pipeline files\nusage: ${USAGE}`);
  }
  if (values.json) {
    process.stdout.write(safeJson(result) + '\n');
    return EXIT_OK;
  }
  const color = values['no-color'] ? false : (values.color ?? (!!process.stdout.isTTY && !process.env.NO_COLOR));
  const text = formatPipelineDiff(result.diff, {
    beforeLabel: sideLabel(result.before, positionals.length === 1),
    afterLabel: sideLabel(result.after, positionals.length === 1),
    color,
  });
  // SQL lines and names from the files, shown with their control bytes escaped.
  process.stdout.write(color ? safeColoredLines(text) : safeLines(text));
  return EXIT_OK;
}

function sideLabel(s: VersionSide, showFile: boolean): string {
  const parts = [s.label];
  if (showFile) parts.push(s.file);
  if (!s.exists) parts.push('(does not exist)');
  if (s.migratedFrom !== null) parts.push(`(format version ${s.migratedFrom}, migrated for comparison)`);
  return parts.join(' ');
}
