import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { startBrowserShell } from '../../server/browser-shell';
import { openInBrowser } from '../../server/open-browser';
import { parse } from '../support/args';
import { EXIT_OK, UsageError } from '../support/exit-codes';
import { exitWithinGrace } from '../support/signals';

const USAGE = 'weir serve [--port N] [--workspace DIR] [--no-open]';
/** Tried first when no --port is given; a busy default falls back to any free port. */
const DEFAULT_PORT = 4820;

/** Only the user reads the terminal: the one place a launch link may be shown. */
const printLink = (url: string, note = '') => process.stdout.write(`Weir designer${note}: ${url}\n`);

/** The browser shell: the designer and its API on 127.0.0.1, until Ctrl-C. */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { port: { type: 'string' }, workspace: { type: 'string', short: 'w' }, 'no-open': { type: 'boolean' }, debug: { type: 'boolean' } },
    USAGE,
  );
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const portText = values.port as string | undefined;
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port expects a port number (0 for any free port), got "${portText}"`);
  const workspace = values.workspace ? resolve(values.workspace as string) : null;
  if (workspace && (!existsSync(workspace) || !statSync(workspace).isDirectory())) throw new UsageError(`--workspace: no such folder ${workspace}`);

  const onNewLaunchUrl = (url: string) => printLink(url, ' (new one-time link)');
  let shell;
  try {
    shell = await startBrowserShell({ port, workspace, onNewLaunchUrl });
  } catch (e) {
    if (portText !== undefined) throw e;
    shell = await startBrowserShell({ port: 0, workspace, onNewLaunchUrl });
  }
  if (!shell.rendererDir) process.stderr.write('weir: the designer is not built (out/renderer is missing): run npm run build\n');
  // Two codes: the browser opened here uses its own, so the printed link still works once (another browser, or --no-open).
  printLink(shell.newLaunchUrl());
  process.stdout.write(
    `(a one-time link: it signs one browser in and is dead afterwards; a browser without a session gets a new link printed here. ${
      workspace ? `Serving ${workspace} only.` : 'Serving the folder you open in the page.'
    } Ctrl-C stops the server)\n`,
  );
  const removeLaunchFile = values['no-open'] ? null : openInBrowser(shell.newLaunchUrl());

  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  removeLaunchFile?.();
  await shell.close();
  exitWithinGrace(EXIT_OK);
  return EXIT_OK;
}
