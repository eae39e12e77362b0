import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { startBrowserShell } from '../../server/browser-shell';
import { parse } from '../args';
import { EXIT_OK, UsageError } from '../exit-codes';

const USAGE = 'weir serve [--port N] [--workspace DIR] [--no-open]';
/** Tried first when no --port is given; a busy default falls back to any free port. */
const DEFAULT_PORT = 4820;

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {}); // no browser to open: the printed URL is enough
    child.unref();
  } catch {
    // same: the URL is printed
  }
}

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

  let shell;
  try {
    shell = await startBrowserShell({ port, workspace });
  } catch (e) {
    if (portText !== undefined) throw e;
    shell = await startBrowserShell({ port: 0, workspace });
  }
  if (!shell.rendererDir) process.stderr.write('weir: the designer is not built (out/renderer is missing): run npm run build\n');
  process.stdout.write(`Weir designer: ${shell.openUrl}\n(the token in this URL changes at each start; Ctrl-C stops the server)\n`);
  if (!values['no-open']) openBrowser(shell.openUrl);

  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await shell.close();
  return EXIT_OK;
}
