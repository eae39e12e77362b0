import { resolve } from 'node:path';
import { SIGNATURE_MEANINGS, type SignatureMeaning } from '../../../shared/gxp/signers';
import { findWorkspace } from '../../engine';
import { parse } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_OK, UsageError } from '../support/exit-codes';
import { readPassphrase } from '../support/passphrase';
import { safeJson, safeLine } from '../support/terminal-text';

const USAGE = `weir sign RUN_ID --meaning ${SIGNATURE_MEANINGS.join('|')} [--comment TEXT] [--signer ID] [--passphrase-stdin] [--workspace DIR] [--json]`;
const DETAILS = [
  'Signs the run record\'s hash with the signer\'s Ed25519 key: the signature (printed name, UTC',
  'time, meaning, comment, record hash) is appended to the audit trail. released / rejected /',
  'on_hold also change the run\'s (or lot\'s) release state when signers.json\'s "release" policy',
  'allows it, else nothing is signed. Refused for a run of uncommitted pipeline changes.',
  'The passphrase is asked on the terminal, or read from standard input (--passphrase-stdin) or',
  'the file WEIR_SIGN_PASSPHRASE_FILE names; never from the command line.',
  'With weir.audit.json "releaseTable", the release-state table in PostgreSQL is refreshed after.',
].join('\n');

/** `weir sign RUN_ID --meaning ...`: an electronic signature of a run record. */
export async function signCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      meaning: { type: 'string' },
      comment: { type: 'string' },
      signer: { type: 'string' },
      'passphrase-stdin': { type: 'boolean' },
      workspace: { type: 'string', short: 'w' },
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
    },
    USAGE,
    DETAILS,
  );
  if (positionals.length !== 1) throw new UsageError(`expected one RUN_ID\nusage: ${USAGE}`);
  const meaning = values.meaning as SignatureMeaning | undefined;
  if (!meaning || !SIGNATURE_MEANINGS.includes(meaning)) throw new UsageError(`--meaning must be one of ${SIGNATURE_MEANINGS.join(', ')}\nusage: ${USAGE}`);
  const root = findWorkspace(resolve(values.workspace ?? process.cwd())).root;
  const engine = cliEngine();
  // Cheap refusals (unknown run, dirty pipeline) before the passphrase is asked.
  const subject = await engine.gxp.subject(root, positionals[0]!);
  if (subject.refusal) throw new UsageError(subject.refusal);
  const passphrase = await readPassphrase({ stdin: values['passphrase-stdin'] === true, env: process.env }, { what: `sign run ${subject.runId} as ${meaning}` });
  const r = await engine.gxp.sign({ root, runId: subject.runId, meaning, comment: values.comment, signerId: values.signer, passphrase });
  if (r.releaseTable && 'error' in r.releaseTable) {
    process.stderr.write(safeLine(`weir: warning: the signature stands, but ${r.releaseTable.error}; retry with "weir release publish"`) + '\n');
  }
  if (values.json) {
    process.stdout.write(safeJson({ seq: r.seq, signature: r.signature, state: r.state, releaseTable: r.releaseTable }, 2) + '\n');
    return EXIT_OK;
  }
  const s = r.signature;
  process.stdout.write(safeLine(`signed run ${s.runId} as ${s.meaning}: ${s.signerName} (${s.signerId}), ${s.signedAt}; audit seq ${r.seq}`) + '\n');
  if (r.state) process.stdout.write(safeLine(`release state of ${s.key}: ${r.state.from} -> ${r.state.to} (audit seq ${r.state.seq})`) + '\n');
  if (r.releaseTable && 'table' in r.releaseTable) process.stdout.write(safeLine(`release-state table ${r.releaseTable.table} refreshed (${r.releaseTable.rows} row(s))`) + '\n');
  return EXIT_OK;
}
