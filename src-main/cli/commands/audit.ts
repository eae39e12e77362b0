import { resolve } from 'node:path';
import { describeProblem, findAuditEntry, findWorkspace, formatRunRecord, listAuditEntries, maskedEntry, verifyAuditLog, verifyEvidencePackage } from '../../engine';
import { HelpRequested, parse, wantsHelp } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../support/exit-codes';
import { safeJson, safeLine, safeLines } from '../support/terminal-text';

const USAGE = [
  'weir audit verify [--workspace DIR] [--anchor] [--json]   check the hash chain (--anchor: and against its git/lake anchors): exit 0 intact, 1 tampered',
  'weir audit verify --package DIR [--json]   check an evidence package on its own, no workspace needed',
  'weir audit show RUN_ID [--workspace DIR] [--json]   print a run record from the audit log',
  'weir audit list [--workspace DIR] [--json]   one line per recorded run',
].join('\n       ');

const options = { workspace: { type: 'string', short: 'w' }, json: { type: 'boolean' }, debug: { type: 'boolean' } } as const;
const verifyOptions = { ...options, anchor: { type: 'boolean' }, package: { type: 'string' } } as const;

/** The workspace whose .weir/audit is meant: --workspace, else the one around the current folder. */
function workspaceRoot(dir: string | undefined): string {
  return findWorkspace(resolve(dir ?? process.cwd())).root;
}

async function verifyPackage(dir: string, json: boolean): Promise<number> {
  const v = await verifyEvidencePackage(resolve(dir));
  if (json) {
    process.stdout.write(safeJson(v, 2) + '\n');
    return v.ok ? EXIT_OK : EXIT_FAILED;
  }
  const chain = v.chain ? `; chain seq ${v.chain.from} to ${v.chain.to}` : '';
  process.stdout.write(safeLine(v.ok ? `evidence package intact: ${v.path} (${v.runs.length} run(s)${chain})` : `evidence package TAMPERED: ${v.path}`) + '\n');
  for (const p of v.problems) process.stdout.write(`  ${safeLine(describeProblem(p))}\n`);
  for (const n of v.notices) process.stdout.write(`  note: ${safeLine(describeProblem(n))}\n`);
  return v.ok ? EXIT_OK : EXIT_FAILED;
}

async function verify(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, verifyOptions, USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  if (values.package !== undefined) {
    if (values.anchor || values.workspace) throw new UsageError(`--package checks a package on its own: no --workspace or --anchor\nusage: ${USAGE}`);
    return verifyPackage(values.package, values.json === true);
  }
  const root = workspaceRoot(values.workspace);
  const v = await verifyAuditLog(root, { processEnv: cliEngine().context.processEnv });
  if (values.anchor) {
    const a = await cliEngine().audit.verifyAnchors(root);
    v.problems.push(...a.problems);
    v.notices.push(...a.notices);
    v.ok = v.ok && a.ok;
    if (values.json) {
      process.stdout.write(safeJson({ ...v, anchors: { git: a.git, lake: a.lake } }, 2) + '\n');
      return v.ok ? EXIT_OK : EXIT_FAILED;
    }
    if (v.ok) {
      const where = [a.git?.lastSeq != null ? `git anchor at seq ${a.git.lastSeq}` : '', a.lake?.lastLocalSeq != null ? `lake trail at seq ${a.lake.lastLocalSeq} (${a.lake.uri})` : ''].filter(Boolean).join(', ');
      v.notices.unshift({ message: `anchors agree: ${where || 'none'}` });
    }
  }
  if (values.json) {
    process.stdout.write(safeJson(v, 2) + '\n');
    return v.ok ? EXIT_OK : EXIT_FAILED;
  }
  if (v.ok) {
    const head = v.head ? `; head seq ${v.head.seq}, hash ${v.head.hash}` : '';
    process.stdout.write(safeLine(v.records ? `audit log intact: ${v.records} records${head}` : `audit log intact: no runs recorded yet (${v.logPath})`) + '\n');
    for (const n of v.notices) process.stdout.write(`  note: ${safeLine(describeProblem(n))}\n`);
    return EXIT_OK;
  }
  process.stdout.write(safeLine(`audit log TAMPERED: ${v.logPath}`) + '\n');
  for (const p of v.problems) process.stdout.write(`  ${safeLine(describeProblem(p))}\n`);
  for (const n of v.notices) process.stdout.write(`  note: ${safeLine(describeProblem(n))}\n`);
  return EXIT_FAILED;
}

async function show(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, options, USAGE);
  if (positionals.length !== 1) throw new UsageError(`expected one RUN_ID\nusage: ${USAGE}`);
  const ws = findWorkspace(resolve(values.workspace ?? process.cwd()));
  // Masked with every value the workspace's connections resolve to here: an entry written
  // before secrets were masked by value may hold one.
  const entry = maskedEntry(await findAuditEntry(ws.root, positionals[0]!), cliEngine().workspaceRedactor(ws.file));
  // --json: the entry exactly as stored (masked), not as migrated for display.
  process.stdout.write((values.json ? safeJson(entry.entry, 2) : safeLines(formatRunRecord(entry))) + '\n');
  return EXIT_OK;
}

async function list(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, options, USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  for (const { entry: e, payload: p } of await listAuditEntries(workspaceRoot(values.workspace))) {
    if (p.kind === 'signature' || p.kind === 'state') {
      const json = { seq: e.seq, runId: e.runId, entry: p.kind };
      process.stdout.write((values.json ? safeJson(json) : safeLine(`${String(e.seq).padStart(5)}  ${e.runId}  ${p.kind.padEnd(9)}`)) + '\n');
      continue;
    }
    if (p.kind !== 'run') {
      const what = p.kind === 'reconciled' ? 'reconciled' : p.kind === 'intent' ? 'intent' : 'unreadable';
      const sinks = (p.kind === 'intent' ? p.intent.sinks : p.kind === 'reconciled' ? p.reconciled.sinks : []).map((x) => x.node).join(', ');
      const detail = p.kind === 'unreadable' ? p.reason : `publish: ${sinks}`;
      const json = p.kind === 'unreadable' ? { seq: e.seq, runId: e.runId, entry: what, reason: p.reason } : { seq: e.seq, runId: e.runId, entry: what, sinks };
      process.stdout.write((values.json ? safeJson(json) : safeLine(`${String(e.seq).padStart(5)}  ${e.runId}  ${what.padEnd(9)}  ${detail}`)) + '\n');
      continue;
    }
    const r = p.record;
    const line = values.json
      ? safeJson({ seq: e.seq, runId: e.runId, pipeline: r.pipeline.name, status: r.status, user: r.user, finishedAt: r.finishedAt })
      : safeLine(`${String(e.seq).padStart(5)}  ${e.runId}  ${r.status.padEnd(9)}  ${r.pipeline.name}  ${r.user}@${r.host}  ${r.finishedAt}`);
    process.stdout.write(line + '\n');
  }
  return EXIT_OK;
}

const subcommands: Record<string, (argv: string[]) => Promise<number>> = { verify, show, list };

/** `weir audit verify | show | list`: the GMP audit trail of a workspace. */
export async function auditCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const run = sub !== undefined && Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
  // `weir audit --help`; `weir audit verify --help` is answered by verify's own parse.
  if (!run && wantsHelp(argv)) throw new HelpRequested(USAGE);
  if (!run) throw new UsageError(`${sub ? `unknown audit command "${sub}"` : 'expected an audit command'}\nusage: ${USAGE}`);
  return run(rest);
}
