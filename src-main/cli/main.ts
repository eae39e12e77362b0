import { WeirError } from '../../shared/errors';
import { WEIR_VERSION } from '../engine';
import { HelpRequested } from './support/args';
import { EXIT_OK, EXIT_USAGE, exitCodeFor } from './support/exit-codes';
import { signalCheckpoint, signalExitCode } from './support/signals';
import { safeLine, safeLines } from './support/terminal-text';
type Command = (argv: string[]) => Promise<number>;

/**
 * Every `weir` sub-command; each module parses its own flags. Modules load on use, so that
 * `weir run` does not pay for the server, git or audit code (cold start is measured).
 */
const commands: Record<string, { load: () => Promise<Command>; summary: string }> = {
  run: { load: async () => (await import('./commands/run')).runCommand, summary: 'run a pipeline (or a --select-ion of it) and write a run record' },
  partitions: {
    load: async () => (await import('./commands/partitions')).partitionsCommand,
    summary: "a partitioned pipeline's lots and their states: new, changed, up to date, failed",
  },
  validate: { load: async () => (await import('./commands/validate')).validateCommand, summary: 'check a pipeline file without running it' },
  plan: { load: async () => (await import('./commands/plan')).planCommand, summary: 'show the order nodes run in and the SQL each runs' },
  lineage: { load: async () => (await import('./commands/lineage')).lineageCommand, summary: 'column lineage: what NODE.COLUMN is computed from (or feeds), back to the sources' },
  audit: {
    load: async () => (await import('./commands/audit')).auditCommand,
    summary: 'the audit trail: verify the hash-chained run log, show or list recorded runs',
  },
  sign: { load: async () => (await import('./commands/sign')).signCommand, summary: 'sign a run record (reviewed, approved, released, rejected, on_hold) with a signer\'s key and passphrase' },
  signer: { load: async () => (await import('./commands/signer')).signerCommand, summary: 'signer init: a signer\'s Ed25519 key pair (encrypted) and the signers.json entry to add' },
  release: { load: async () => (await import('./commands/release')).releaseCommand, summary: 'release status: each run\'s (or lot\'s) release state and its signatures; release publish: refresh the release-state table' },
  evidence: {
    load: async () => (await import('./commands/evidence')).evidenceCommand,
    summary: 'an evidence package (a folder or a .zip) for a run (or lot): records, reports, pipeline at its commit, inputs, signatures, chain proof, summary',
  },
  serve: {
    load: async () => (await import('./commands/serve')).serveCommand,
    summary: 'the designer in a browser: serves the UI and its API on 127.0.0.1 with a per-start token',
  },
  mcp: {
    load: async () => (await import('./commands/mcp')).mcpCommand,
    summary: "an assistant's door: the Model Context Protocol over stdio for one workspace (read-only unless --allow-write / --allow-run)",
  },
  diff: {
    load: async () => (await import('./commands/diff')).diffCommand,
    summary: 'what changed in a pipeline: two files, working copy vs HEAD, or --from/--to revisions',
  },
  review: {
    load: async () => (await import('./commands/review')).reviewCommand,
    summary: 'what a change does to the data: impact, breaking or not, schema/profile/value/check diffs over the base run\'s inputs',
  },
  export: { load: async () => (await import('./commands/export')).exportCommand, summary: 'Dagster definitions (dagster) or Kubernetes Job and CronJob manifests (k8s) that run a pipeline lot by lot' },
  history: { load: async () => (await import('./commands/history')).historyCommand, summary: 'the commits that touched a pipeline file' },
  gc: {
    load: async () => (await import('./commands/gc')).gcCommand,
    summary: 'remove what killed runs left (staging, scratch, cache temps, lake litter) and evict the cache to its bound',
  },
  'merge-driver': {
    load: async () => (await import('./commands/merge-driver')).mergeDriverCommand,
    summary: 'git merge driver for *.weir.json, merging by node (--install sets it up in a repository)',
  },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    `weir ${WEIR_VERSION}: run Weir pipelines headless`,
    '',
    'usage: weir COMMAND [options]',
    '',
    ...Object.entries(commands).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`),
    '',
    'weir COMMAND --help (or weir help COMMAND) shows what a command takes',
    '',
    'exit codes: 0 success, 1 the pipeline failed, 2 bad usage or an invalid file,',
    '            3 `weir review` found a breaking change,',
    '            130 / 143 stopped by Ctrl-C / SIGTERM (a run is cancelled cleanly first)',
    'add --debug to any command to see stack traces',
  ].join('\n');
}

function commandHelp(name: string, h: HelpRequested): string {
  const summary = commands[name]?.summary;
  return [summary ? `weir ${name}: ${summary}` : '', `usage: ${h.usage}`, h.details].filter(Boolean).join('\n\n');
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...after] = argv;
  // `weir help run` is `weir run --help`.
  const [name, ...rest] = first === 'help' && after.length ? [after[0] as string, '--help'] : [first, ...after];
  const debug = rest.includes('--debug');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? EXIT_OK : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${WEIR_VERSION}\n`);
    return EXIT_OK;
  }
  const cmd = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!cmd) {
    process.stderr.write(`weir: unknown command "${safeLine(name)}" (commands: ${Object.keys(commands).join(', ')})\n`);
    return EXIT_USAGE;
  }
  let code: number;
  try {
    const command = await cmd.load();
    // A signal that came while the command's code loaded ends the process here, before the
    // command starts anything (see signals.ts).
    await signalCheckpoint();
    code = await command(rest);
  } catch (e) {
    if (e instanceof HelpRequested) {
      process.stdout.write(safeLines(commandHelp(name, e)) + '\n');
      return EXIT_OK;
    }
    const message = e instanceof WeirError ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
    // One clear line (a usage error may add the usage line), whatever bytes the file put in
    // it; the stack only when asked for.
    const usage = e instanceof WeirError && e.kind === 'usage';
    // Whatever path the error took, no value the process resolved reaches the terminal (loaded
    // here: commands that never fail should not pay for it at start-up); masked before escaping.
    const { processSecrets } = await import('../engine');
    const mask = (t: string) => processSecrets().mask(t);
    const text = debug && e instanceof Error ? safeLines(mask(e.stack ?? message)) : usage ? safeLines(mask(message)) : safeLine(mask(message));
    process.stderr.write(`weir: ${text}\n`);
    code = exitCodeFor(e);
  }
  // Stopped by a signal (a run cancelled by Ctrl-C or SIGTERM): 128 + the signal's number.
  const bySignal = signalExitCode();
  return bySignal !== null && code !== EXIT_OK ? bySignal : code;
}
