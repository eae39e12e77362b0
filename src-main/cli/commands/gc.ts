import { isAbsolute, relative, resolve } from 'node:path';
import { findWorkspace, formatBytes, parseSize, processSecrets, type GcReport, type LitterItem, type LitterKind } from '../../engine';
import { parse } from '../support/args';
import { cliEngine } from '../support/engine';
import { EXIT_OK, UsageError } from '../support/exit-codes';
import { safeJson, safeLine } from '../support/terminal-text';

const USAGE = 'weir gc [--workspace DIR] [--env NAME] [--dry-run] [--json] [--cache-max-size SIZE]';
const DETAILS = [
  'Removes what killed or failed runs left behind, and bounds the caches:',
  '  file-sink staging (.NAME.weir-RUN.tmp) beside the targets of the workspace\'s file sinks;',
  '  a folder set aside by a run killed mid-swap (.NAME.weir-RUN.tmp.old) is put back when its',
  '  target is missing, else removed; half-written node and object cache files; scratch folders',
  '  of dead runs and previews and DuckDB spill folders of dead processes (this user\'s);',
  '  objects under each lake sink\'s _runs/ that no manifest names, and unfinished multipart uploads',
  '  (connections of --env); then the node and object caches are evicted to their bound, least',
  '  recently used first. Nothing of a live run is touched; another host\'s run counts as live for',
  '  24 hours, a lake run without a marker here for 1 hour.',
  '',
  'options:',
  '  -w, --workspace DIR        the workspace (default: the one around the current folder)',
  '  -e, --env NAME             the environment whose lake connections are cleaned (default: the workspace default)',
  '  -n, --dry-run              list what would be removed, remove nothing',
  '      --json                 one JSON object on stdout: items, notes, totals',
  '      --cache-max-size SIZE  the caches\' bound, e.g. 10GB, 500M, 0 (default: WEIR_CACHE_MAX_SIZE, else 10GB)',
  '',
  'exit codes: 0 done (what could not be removed is a note), 2 bad usage',
].join('\n');

const LABEL: Record<LitterKind, string> = {
  'file-staging': 'file-sink staging',
  'swap-aside': 'set-aside folder',
  'cache-temp': 'cache temp file',
  scratch: 'scratch folder',
  spill: 'spill folder',
  'lake-objects': 'lake objects',
  'lake-upload': 'multipart upload',
  'cache-entry': 'cache entry',
};

const VERB: Record<LitterItem['action'], [string, string]> = {
  remove: ['removed', 'would remove'],
  restore: ['restored', 'would restore'],
  abort: ['aborted', 'would abort'],
  evict: ['evicted', 'would evict'],
};

/** `weir gc`: a workspace that cleans up after killed runs, and a bounded cache. */
export async function gcCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      workspace: { type: 'string', short: 'w' },
      env: { type: 'string', short: 'e' },
      'dry-run': { type: 'boolean', short: 'n' },
      json: { type: 'boolean' },
      'cache-max-size': { type: 'string' },
      debug: { type: 'boolean' },
    },
    USAGE,
    DETAILS,
  );
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  let cacheMaxBytes: number | undefined;
  if (values['cache-max-size'] !== undefined) {
    const parsed = parseSize(values['cache-max-size']);
    if (parsed === null) throw new UsageError(`--cache-max-size expects a size such as 10GB, 500M or 0, got "${values['cache-max-size']}"\nusage: ${USAGE}`);
    cacheMaxBytes = parsed;
  }
  const ws = findWorkspace(resolve(values.workspace ?? process.cwd()));
  const report = await cliEngine().gc(ws, { environment: values.env, dryRun: Boolean(values['dry-run']), ...(cacheMaxBytes !== undefined ? { cacheMaxBytes } : {}) });
  // Bucket names and the like may come from ${env:...}: masked as everywhere else.
  const mask = (t: string) => processSecrets().mask(t);
  if (values.json) {
    process.stdout.write(mask(safeJson({ workspace: ws.root, ...report, totals: totals(report) })) + '\n');
    return EXIT_OK;
  }
  for (const line of formatReport(report, ws.root)) process.stdout.write(safeLine(mask(line)) + '\n');
  return EXIT_OK;
}

function totals(r: GcReport) {
  const count = (pred: (i: LitterItem) => boolean) => r.items.filter(pred).length;
  const bytes = (pred: (i: LitterItem) => boolean) => r.items.filter(pred).reduce((n, i) => n + i.bytes, 0);
  // A folder put back frees nothing: it is the previous output again.
  const litter = (i: LitterItem) => i.kind !== 'cache-entry' && i.action !== 'restore';
  const evicted = (i: LitterItem) => i.kind === 'cache-entry';
  return { litterItems: count(litter), litterBytes: bytes(litter), restored: count((i) => i.action === 'restore'), evictedEntries: count(evicted), evictedBytes: bytes(evicted) };
}

function shown(path: string, root: string): string {
  if (!isAbsolute(path)) return path; // an object store URI
  const rel = relative(root, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function formatReport(r: GcReport, root: string): string[] {
  const lines: string[] = [];
  const width = Math.max(0, ...r.items.map((i) => LABEL[i.kind].length));
  for (const i of r.items) {
    const verb = VERB[i.action][r.dryRun ? 1 : 0];
    const where = i.restoreTo ? `${shown(i.what, root)} -> ${shown(i.restoreTo, root)}` : shown(i.what, root);
    const run = i.runId ? `  (run ${i.runId})` : '';
    lines.push(`${verb.padEnd(12)}  ${LABEL[i.kind].padEnd(width)}  ${formatBytes(i.bytes).padStart(9)}  ${where}${run}`);
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  const t = totals(r);
  const would = r.dryRun ? 'would free' : 'freed';
  const cache = r.cache;
  lines.push(
    `${r.dryRun ? 'dry run: ' : ''}litter: ${t.litterItems} item${t.litterItems === 1 ? '' : 's'}, ${would} ${formatBytes(t.litterBytes)}; ` +
      `${t.restored ? `${t.restored} previous output${t.restored === 1 ? '' : 's'} ${r.dryRun ? 'to put' : 'put'} back; ` : ''}` +
      `cache: ${t.evictedEntries} entr${t.evictedEntries === 1 ? 'y' : 'ies'} ${r.dryRun ? 'to evict' : 'evicted'} (${formatBytes(t.evictedBytes)}), ` +
      `${formatBytes(cache.afterBytes)} of ${formatBytes(cache.maxBytes)}${cache.keptRecent ? ` (${cache.keptRecent} recently used kept while runs are live)` : ''}` +
      `${r.kept ? `; ${r.kept} kept (their runs or processes may still be working)` : ''}`,
  );
  return lines;
}
