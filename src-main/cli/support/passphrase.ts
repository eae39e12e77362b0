import { readFile } from 'node:fs/promises';
import { UsageError } from './exit-codes';

/**
 * The signing passphrase (the second identification component, asked at each signing). Never
 * from the command line, where `ps` shows it to every local user: from WEIR_SIGN_PASSPHRASE_FILE
 * (a file only the job can read) or standard input (`--passphrase-stdin`) for automation,
 * else asked on the terminal with echo off. It is never printed or logged.
 */
export interface PassphraseSource {
  stdin: boolean;
  env: NodeJS.ProcessEnv;
}

const oneLine = (text: string) => text.replace(/\r?\n$/, '');

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal without echoing it. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    // Echo off before the question shows: a key typed as soon as it appears is not echoed.
    input.setRawMode(true);
    process.stderr.write(question);
    let value = '';
    input.resume();
    input.setEncoding('utf8');
    const done = (err: Error | null) => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new UsageError('cancelled at the passphrase prompt'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
  });
}

export async function readPassphrase(src: PassphraseSource, o: { confirm?: boolean; what: string }): Promise<string> {
  const file = src.env.WEIR_SIGN_PASSPHRASE_FILE;
  if (src.stdin) return oneLine(await readStdin());
  if (file) {
    try {
      return oneLine(await readFile(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`WEIR_SIGN_PASSPHRASE_FILE cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError(`${o.what} needs a passphrase: run it in a terminal, or give it on standard input (--passphrase-stdin) or in a file named by WEIR_SIGN_PASSPHRASE_FILE (never on the command line)`);
  }
  const first = await askHidden(`${o.what}: passphrase: `);
  if (o.confirm && (await askHidden('passphrase again: ')) !== first) throw new UsageError('the two passphrases differ');
  return first;
}
