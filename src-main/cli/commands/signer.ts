import { HelpRequested, parse, wantsHelp } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_OK, UsageError } from '../support/exit-codes';
import { readPassphrase } from '../support/passphrase';
import { safeJson, safeLine } from '../support/terminal-text';

const USAGE = 'weir signer init --id ID --name "PRINTED NAME" [--role ROLE]... [--passphrase-stdin] [--json]';
const DETAILS = [
  'Creates an Ed25519 key pair for a signer. The private key is encrypted with the passphrase',
  '(scrypt + AES-256-GCM) into WEIR_SIGNER_KEY_DIR (default: ~/.config/weir/signers), never the',
  'workspace. Prints the entry to add to the workspace\'s signers.json (commit it: signatures are',
  'verified against its history). The passphrase is asked on the terminal (twice), or read from',
  'standard input (--passphrase-stdin) or the file WEIR_SIGN_PASSPHRASE_FILE names.',
].join('\n');

/** `weir signer init`: a signer's key pair, and the signers.json entry to add. */
export async function signerCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'init') {
    if (wantsHelp(argv)) throw new HelpRequested(USAGE, DETAILS);
    throw new UsageError(`${sub ? `unknown signer command "${sub}"` : 'expected a signer command'}\nusage: ${USAGE}`);
  }
  const { values, positionals } = parse(
    rest,
    {
      id: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', multiple: true },
      'passphrase-stdin': { type: 'boolean' },
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
    },
    USAGE,
    DETAILS,
  );
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  if (!values.id || !values.name) throw new UsageError(`--id and --name are required\nusage: ${USAGE}`);
  const passphrase = await readPassphrase({ stdin: values['passphrase-stdin'] === true, env: process.env }, { confirm: true, what: `new key of signer "${values.id}"` });
  const { keyPath, entry } = await cliEngine().gxp.initSigner({ id: values.id, name: values.name, roles: values.role ?? [], passphrase });
  if (values.json) {
    process.stdout.write(safeJson({ keyPath, entry }, 2) + '\n');
    return EXIT_OK;
  }
  process.stderr.write(safeLine(`weir: key of signer "${entry.id}" written to ${keyPath} (encrypted; keep the passphrase to yourself)`) + '\n');
  process.stderr.write('weir: add this entry to "signers" in the workspace\'s signers.json and commit it:\n');
  process.stdout.write(JSON.stringify(entry, null, 2) + '\n');
  return EXIT_OK;
}
