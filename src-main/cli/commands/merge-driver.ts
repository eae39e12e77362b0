import { parse } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../support/exit-codes';
import { safeLine } from '../support/terminal-text';

const USAGE = 'weir merge-driver BASE OURS THEIRS [PATH]  |  weir merge-driver --install [DIR]';

/**
 * Called by git as the merge driver of `*.weir.json` (see docs/git.md); exit 0 when the
 * merge is clean, 1 when conflict markers were left for a person.
 */
export async function mergeDriverCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { install: { type: 'boolean' }, debug: { type: 'boolean' } }, USAGE);
  if (values.install) {
    if (positionals.length > 1) throw new UsageError(`expected at most one folder\nusage: ${USAGE}`);
    // Start the driver the way this weir was started (the bundle through node, or a wrapper on PATH).
    const script = process.argv[1];
    const command = script && /\.(c?js|mjs|ts)$/.test(script) ? [process.execPath, script] : ['weir'];
    const r = await cliEngine().git.installMergeDriver(positionals[0] ?? '.', command);
    process.stdout.write(`merge driver "weir" set in ${r.root}/.git/config${r.attributesAdded ? '; *.weir.json added to .gitattributes (commit it)' : ''}\n`);
    return EXIT_OK;
  }
  if (positionals.length < 3 || positionals.length > 4) throw new UsageError(`expected BASE OURS THEIRS [PATH]\nusage: ${USAGE}`);
  const [base, ours, theirs, path] = positionals as [string, string, string, string | undefined];
  const r = await cliEngine().git.runMergeDriver({ base, ours, theirs, path });
  const name = path ?? ours;
  for (const c of r.conflicts) process.stderr.write(`weir: ${safeLine(`${name}: conflict at ${c.path || 'file'}: ${c.message}`)}\n`);
  return r.clean ? EXIT_OK : EXIT_FAILED;
}
