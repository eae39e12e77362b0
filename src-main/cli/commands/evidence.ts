import { resolve } from 'node:path';
import { findWorkspace } from '../../engine';
import { parse } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_OK, UsageError } from '../support/exit-codes';
import { safeJson, safeLine } from '../support/terminal-text';

const USAGE = 'weir evidence RUN_ID|LOT --out DIR|FILE.zip [--workspace DIR] [--json]';

const options = { workspace: { type: 'string', short: 'w' }, out: { type: 'string', short: 'o' }, json: { type: 'boolean' }, debug: { type: 'boolean' } } as const;

/**
 * `weir evidence`: a folder (or a deterministic .zip of it) with everything about a run (or
 * every run of a lot) that verifies on its own with `weir audit verify --package DIR`.
 */
export async function evidenceCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, options, USAGE);
  if (positionals.length !== 1) throw new UsageError(`expected one RUN_ID or LOT\nusage: ${USAGE}`);
  if (!values.out) throw new UsageError(`--out DIR|FILE.zip is required\nusage: ${USAGE}`);
  const ws = findWorkspace(resolve(values.workspace ?? process.cwd()));
  const res = await cliEngine().audit.evidence({ workspaceRoot: ws.root, subject: positionals[0]!, out: resolve(values.out) });
  process.stdout.write(
    (values.json
      ? safeJson(res)
      : safeLine(`evidence package for ${res.subject.kind} ${res.subject.key}: ${res.out} (${res.runs.length} run(s), ${res.files} files); check it with: weir audit verify --package ${/\.zip$/i.test(res.out) ? '<the extracted folder>' : res.out}`)) + '\n',
  );
  return EXIT_OK;
}
