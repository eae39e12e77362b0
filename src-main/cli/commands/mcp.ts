import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from '../support/args';
import { EXIT_OK, UsageError } from '../support/exit-codes';
import { exitWithinGrace } from '../support/signals';

const USAGE = 'weir mcp [--workspace DIR] [--allow-write] [--allow-run]';
const DETAILS = [
  'Serves the Model Context Protocol over stdio for one workspace, so that an MCP client (an',
  "assistant) can list, read, validate, plan, preview and trace the lineage of its pipelines, and",
  "read the node kinds' JSON Schemas, through the same API and path checks as the designer.",
  'Read-only by default. stdout carries protocol messages only; lines for people go to stderr.',
  'docs/mcp.md shows how to wire it into a client.',
  '',
  'options:',
  '  -w, --workspace DIR        the workspace folder served (default: the current folder)',
  '      --allow-write          write_pipeline may write validated .weir.json files in it',
  '      --allow-run            run may run pipelines (each call still needs confirm: true;',
  '                             never a protected environment)',
].join('\n');

/**
 * The protocol's own stdout, and everything else written to `stdout` sent to `stderr`: a stray
 * console.log anywhere below would corrupt the JSON-RPC stream the client reads.
 */
export function protocolStdout(stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Writable {
  const write = stdout.write.bind(stdout) as (chunk: Uint8Array | string, done: (e?: Error | null) => void) => boolean;
  stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => stderr.write(chunk, ...rest)) as typeof stdout.write;
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      write(chunk, (e) => done(e ?? undefined));
    },
  });
}

/** `weir mcp`: an assistant's door to one workspace, until the client goes or a signal comes. */
export async function mcpCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { workspace: { type: 'string', short: 'w' }, 'allow-write': { type: 'boolean' }, 'allow-run': { type: 'boolean' }, debug: { type: 'boolean' } },
    USAGE,
    DETAILS,
  );
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const root = resolve((values.workspace as string | undefined) ?? process.cwd());
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--workspace: no such folder ${root}`);
  const allowWrite = values['allow-write'] === true;
  const allowRun = values['allow-run'] === true;

  // The SDK loads only here: no other command pays for it at start-up.
  const { serveMcp } = await import('../../mcp/server');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const output = protocolStdout();
  const mcp = await serveMcp({ root, allowWrite, allowRun, input: process.stdin, output, log });
  log(`weir mcp: serving ${root} over stdio (${allowWrite ? 'write on' : 'read-only'}, run ${allowRun ? 'on, confirmed per call' : 'off'})`);

  const stop = () => void mcp.close();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await mcp.closed;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  exitWithinGrace(EXIT_OK);
  return EXIT_OK;
}
