import { parse, onePositional, parseParamPairs } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_OK } from '../support/exit-codes';
import { safeJson, safeLine } from '../support/terminal-text';

const USAGE = 'weir partitions FILE [--env NAME] [--param NAME=VALUE]... [--json]';
const DETAILS = [
  "Lists the lots of a partitioned pipeline, found in its sources' listings (workspace folders,",
  'lake prefixes), with their state: new (never succeeded), changed (its inputs or the pipeline',
  'changed since it last succeeded), up_to_date, failed (its last run failed on these inputs),',
  'and the run id and time of its last success (or failure). Reads listings and file hashes only.',
  '',
  'options:',
  '  -e, --env NAME             the environment whose connections to list',
  '  -p, --param NAME=VALUE     parameter values (they are part of each fingerprint)',
  '      --json                 {"pipeline", "key", "sources": [{"node", "kind", "split", "fingerprint", "note"}],',
  '                             "partitions": [{"key", "state", "runId", "at", "fingerprint"}]}',
  '',
  'Only files and lake objects enter a fingerprint. A postgres_source or http_source is read by',
  'every lot that runs, but a change there does not make a lot changed: the listing says so per',
  'source (a "note:" line; "fingerprint": "none" in --json). Run --partitions all after one.',
  '',
  'exit codes: 0 listed, 2 bad usage, an invalid file or a pipeline that is not partitioned',
].join('\n');

/** `weir partitions`: the lots and their states (docs/lots.md), for people and orchestrators. */
export async function partitionsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { env: { type: 'string', short: 'e' }, param: { type: 'string', multiple: true, short: 'p' }, json: { type: 'boolean' }, debug: { type: 'boolean' } },
    USAGE,
    DETAILS,
  );
  const file = onePositional(positionals, USAGE);
  const listing = await cliEngine().partitions({ file, environment: values.env as string | undefined, params: parseParamPairs(values.param as string[] | undefined) });
  if (values.json) {
    process.stdout.write(safeJson(listing) + '\n');
    return EXIT_OK;
  }
  const counts = new Map<string, number>();
  for (const p of listing.partitions) counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
  process.stdout.write(safeLine(`${listing.partitions.length} lot(s) by ${listing.key}: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'none found'}`) + '\n');
  // What a fingerprint cannot see is said before the lots, so that "up_to_date" is read rightly.
  for (const src of listing.sources) if (src.fingerprint === 'none') process.stdout.write(safeLine(`note: ${src.kind} "${src.node}" is ${src.note}`) + '\n');
  const width = Math.max(3, ...listing.partitions.map((p) => p.key.length));
  for (const p of listing.partitions) {
    process.stdout.write(safeLine(`${p.key.padEnd(width)}  ${p.state.padEnd(10)}  ${p.runId ?? ''}${p.at ? `  ${p.at}` : ''}`) + '\n');
  }
  return EXIT_OK;
}
