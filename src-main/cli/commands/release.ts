import { resolve } from 'node:path';
import { findWorkspace } from '../../engine';
import { HelpRequested, parse, wantsHelp } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../support/exit-codes';
import { safeJson, safeLine } from '../support/terminal-text';

const USAGE = 'weir release status [RUN_ID|LOT] [--workspace DIR] [--json]\n       weir release publish [--workspace DIR] [--json]';

/** `weir release status`: each recorded run's (or lot's) release state and its signatures; `weir release publish`: the release-state table refreshed. */
export async function releaseCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'publish') return publish(rest);
  if (sub !== 'status') {
    if (wantsHelp(argv)) throw new HelpRequested(USAGE);
    throw new UsageError(`${sub ? `unknown release command "${sub}"` : 'expected a release command'}\nusage: ${USAGE}`);
  }
  const { values, positionals } = parse(rest, { workspace: { type: 'string', short: 'w' }, json: { type: 'boolean' }, debug: { type: 'boolean' } }, USAGE);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"\nusage: ${USAGE}`);
  const root = findWorkspace(resolve(values.workspace ?? process.cwd())).root;
  const which = positionals[0];
  const statuses = await cliEngine().gxp.releaseStatus(root, which);
  if (values.json) {
    process.stdout.write(safeJson({ runs: statuses }, 2) + '\n');
    return which && !statuses.length ? EXIT_FAILED : EXIT_OK;
  }
  if (!statuses.length) {
    process.stdout.write(safeLine(which ? `no recorded run or lot "${which}"` : 'no recorded runs') + '\n');
    return which ? EXIT_FAILED : EXIT_OK;
  }
  for (const s of statuses) {
    const lot = s.key === s.runId ? '' : `  lot ${s.key}`;
    process.stdout.write(safeLine(`${s.runId}${lot}  ${s.state.padEnd(8)}  ${s.pipeline}  run ${s.status}`) + '\n');
    for (const g of s.signatures) {
      process.stdout.write(safeLine(`    ${g.meaning.padEnd(8)}  ${g.signerName} (${g.signerId})  ${g.signedAt}${g.comment ? `  "${g.comment}"` : ''}`) + '\n');
    }
  }
  return EXIT_OK;
}

/** Refreshes the release-state table weir.audit.json names (after a failed refresh, or to fill a new table). */
async function publish(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { workspace: { type: 'string', short: 'w' }, json: { type: 'boolean' }, debug: { type: 'boolean' } }, USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const root = findWorkspace(resolve(values.workspace ?? process.cwd())).root;
  const r = await cliEngine().gxp.publishReleaseTable(root);
  if (!r) throw new UsageError(`weir.audit.json in ${root} names no "releaseTable": nothing to publish`);
  process.stdout.write((values.json ? safeJson(r) : safeLine(`release-state table ${r.table} refreshed (${r.rows} row(s))`)) + '\n');
  return EXIT_OK;
}
