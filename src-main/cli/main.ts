import { WeirError } from '../../shared/errors';
import { WEIR_VERSION } from '../engine/version';
import { EXIT_OK, EXIT_USAGE, exitCodeFor } from './exit-codes';
type Command = (argv: string[]) => Promise<number>;

/**
 * Every `weir` sub-command; each module parses its own flags. Modules load on use, so that
 * `weir run` does not pay for the server, git or audit code (cold start is measured).
 */
const commands: Record<string, { load: () => Promise<Command>; summary: string }> = {
  run: { load: async () => (await import('./commands/run')).runCommand, summary: 'run a pipeline (or a --select-ion of it) and write a run record' },
  validate: { load: async () => (await import('./commands/validate')).validateCommand, summary: 'check a pipeline file without running it' },
  plan: { load: async () => (await import('./commands/plan')).planCommand, summary: 'show the order nodes run in and the SQL each runs' },
  audit: {
    load: async () => (await import('./commands/audit')).auditCommand,
    summary: 'the audit trail: verify the hash-chained run log, show or list recorded runs',
  },
  serve: {
    load: async () => (await import('./commands/serve')).serveCommand,
    summary: 'the designer in a browser: serves the UI and its API on 127.0.0.1 with a per-start token',
  },
  diff: {
    load: async () => (await import('./commands/diff')).diffCommand,
    summary: 'what changed in a pipeline: two files, working copy vs HEAD, or --from/--to revisions',
  },
  history: { load: async () => (await import('./commands/history')).historyCommand, summary: 'the commits that touched a pipeline file' },
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
    'exit codes: 0 success, 1 the pipeline failed, 2 bad usage or an invalid file',
    'add --debug to any command to see stack traces',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const debug = rest.includes('--debug');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? EXIT_OK : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${WEIR_VERSION}\n`);
    return EXIT_OK;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`weir: unknown command "${name}" (commands: ${Object.keys(commands).join(', ')})\n`);
    return EXIT_USAGE;
  }
  try {
    return await (await cmd.load())(rest);
  } catch (e) {
    const message = e instanceof WeirError ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
    // Whatever path the error took, no value the process resolved reaches the terminal (loaded
    // here: commands that never fail should not pay for it at start-up).
    const { processSecrets } = await import('../engine/secrets/process-secrets');
    // One clear message; the stack only when asked for.
    process.stderr.write(`weir: ${processSecrets().mask(debug && e instanceof Error ? (e.stack ?? message) : message)}\n`);
    return exitCodeFor(e);
  }
}
