import { dirname } from 'node:path';
import { PipelineInvalidError } from '../../../shared/errors';
import { findWorkspace, loadPipelineFile, preflightError, type Problem } from '../../engine';
import { parse, onePositional, parseParamPairs } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_OK } from '../support/exit-codes';
import { signalCheckpoint } from '../support/signals';
import { safeJson, safeLine } from '../support/terminal-text';

const USAGE = 'weir validate FILE [--env NAME] [--param NAME=VALUE]... [--json]';
const DETAILS = [
  'Makes every check `weir run` makes before it touches data, with the same --env and --param:',
  'the file (JSON, schema, node configs, graph), parameter defaults and values against their',
  'types, the environment and the connections the nodes name, check rules that read other nodes.',
  '',
  'options:',
  '  -e, --env NAME             the environment the run would use (default: the workspace default)',
  '  -p, --param NAME=VALUE     a parameter value the run would get (repeatable)',
  '      --json                 {"valid": true|false, ...} on stdout, with every problem',
  '',
  'exit codes: 0 valid, 2 not (one line on stderr naming the first problem)',
].join('\n');

/** `weir validate`: what `weir run` would refuse before touching data, refused now. */
export async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { env: { type: 'string', short: 'e' }, param: { type: 'string', multiple: true, short: 'p' }, json: { type: 'boolean' }, debug: { type: 'boolean' } },
    USAGE,
    DETAILS,
  );
  const file = onePositional(positionals, USAGE);
  const params = parseParamPairs(values.param as string[] | undefined);
  let problems: Problem[];
  let loaded;
  try {
    loaded = await loadPipelineFile(file);
    await signalCheckpoint();
    problems = await cliEngine().validate(loaded, findWorkspace(dirname(loaded.path)), { environment: values.env as string | undefined, params });
  } catch (e) {
    // The file itself is invalid: with --json every issue goes to stdout too.
    if (values.json && e instanceof PipelineInvalidError) writeInvalid(file, e.issues.map((i) => ({ kind: 'invalid', ...i })));
    throw e;
  }
  const error = preflightError(problems, file, loaded.pipeline);
  if (error) {
    if (values.json) writeInvalid(file, problems);
    throw error;
  }
  const { pipeline, migratedFrom } = loaded;
  if (values.json) {
    process.stdout.write(safeJson({ valid: true, file, name: pipeline.name, nodes: pipeline.nodes.length, migratedFrom }) + '\n');
  } else {
    const note = migratedFrom !== null ? ` (format version ${migratedFrom}, migrated on load; save to upgrade the file)` : '';
    process.stdout.write(safeLine(`${file}: valid pipeline "${pipeline.name}", ${pipeline.nodes.length} nodes${note}`) + '\n');
  }
  return EXIT_OK;
}

function writeInvalid(file: string, problems: readonly Problem[]): void {
  process.stdout.write(safeJson({ valid: false, file, problems }) + '\n');
}
